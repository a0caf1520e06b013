using TokenAuthority.Samples.Shared;
using Microsoft.Extensions.Configuration;
using TokenAuthority.Samples.Authority.Hosting;

namespace TokenAuthority.Samples.Tests.Authority;

public sealed class ServingAddressTests
{
    private static ServingAddress Resolve(string? urls) =>
        ServingAddress.Resolve(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["urls"] = urls }).Build(), "https://127.0.0.1:8443");

    [Fact]
    public void Without_urls_it_listens_on_127_0_0_1_port_8443()
    {
        var address = Resolve(null);
        Assert.True(address.IsDefault);
        Assert.Equal("https://127.0.0.1:8443", address.Urls);
        Assert.Equal("https://127.0.0.1:8443", address.Issuer);
    }

    [Theory]
    [InlineData("https://127.0.0.1:9443", "https://127.0.0.1:9443")]
    [InlineData("http://127.0.0.1:8080;https://localhost:9443/", "https://localhost:9443")]
    [InlineData("https://*:9443", "https://localhost:9443")]
    [InlineData("https://0.0.0.0:9443", "https://localhost:9443")]
    public void The_issuer_is_the_first_https_url(string urls, string issuer)
    {
        var address = Resolve(urls);
        Assert.False(address.IsDefault);
        Assert.Equal(issuer, address.Issuer);
    }

    [Theory]
    [InlineData("http://127.0.0.1:8080", "is https")]
    [InlineData("https://127.0.0.1:0", "random port")]
    public void Unusable_urls_stop_the_start_with_a_message(string urls, string message)
    {
        var error = Assert.Throws<InvalidOperationException>(() => Resolve(urls));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }
}
