using TokenAuthority.Samples.Shared;
using Microsoft.Extensions.Configuration;
using TokenAuthority.Samples.Authority.Hosting;

namespace TokenAuthority.Samples.Tests.Authority;

public sealed class ServingAddressTests
{
    private static ServingAddress Resolve(string? urls, string? allowNonLoopback = null) =>
        ServingAddress.Resolve(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["urls"] = urls, ["AllowNonLoopback"] = allowNonLoopback }).Build(), "https://127.0.0.1:8443");

    [Theory]
    [InlineData(null)]
    [InlineData("https://127.0.0.1:9443")]
    [InlineData("https://localhost:9443;http://[::1]:8080")]
    [InlineData("https://LOCALHOST:9443")]
    [InlineData("https://127.0.0.2:9443")]
    public void Loopback_addresses_get_no_warning(string? urls) => Assert.Null(Resolve(urls).NonLoopbackWarning());

    [Theory]
    [InlineData("https://0.0.0.0:9443", "https://0.0.0.0:9443 listens on every interface: ")]
    [InlineData("https://*:9443", "https://*:9443 listens on every interface: ")]
    [InlineData("https://[::]:9443", "https://[::]:9443 listens on every interface: ")]
    [InlineData("https://example.invalid:19508", "https://example.invalid:19508 listens on every interface (Kestrel binds a host name other than localhost to all addresses): ")]
    [InlineData("https://127.0.0.1:9443;http://10.1.2.3:8080", "http://10.1.2.3:8080 listens on 10.1.2.3, beyond loopback: ")]
    public void Addresses_beyond_loopback_get_one_line_naming_them_and_the_setting(string urls, string expected)
    {
        var warning = Resolve(urls).NonLoopbackWarning();
        Assert.NotNull(warning);
        Assert.StartsWith(expected, warning, StringComparison.Ordinal);
        Assert.Contains("pass --AllowNonLoopback true", warning, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', warning);
    }

    [Fact]
    public void The_warning_suggests_the_loopback_address_on_the_same_port()
    {
        var warning = Resolve("https://0.0.0.0:9443")!.NonLoopbackWarning();
        Assert.EndsWith("otherwise listen on loopback only, e.g. --urls https://127.0.0.1:9443.", warning, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("true")]
    [InlineData("True")]
    public void AllowNonLoopback_true_is_the_explicit_choice(string allow) =>
        Assert.Null(Resolve("https://0.0.0.0:9443", allow).NonLoopbackWarning());

    [Fact]
    public void AllowNonLoopback_false_still_warns() =>
        Assert.NotNull(Resolve("https://0.0.0.0:9443", "false").NonLoopbackWarning());

    [Fact]
    public void AllowNonLoopback_that_is_not_a_boolean_stops_the_start()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Resolve("https://0.0.0.0:9443", "yes"));
        Assert.Equal("--AllowNonLoopback must be true or false, got \"yes\".", error.Message);
    }

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
