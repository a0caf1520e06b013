using TokenAuthority.Samples.Authority.ObjectsApi;

namespace TokenAuthority.Samples.Tests.Authority;

public sealed class DnsNamesTests
{
    [Theory]
    [InlineData("web-0")]
    [InlineData("a")]
    [InlineData("0")]
    [InlineData("example.com")]
    [InlineData("a.b-c.d1")]
    public void Valid_subdomains_pass(string name) => Assert.Empty(DnsNames.ValidateSubdomain("metadata.name", name));

    [Theory]
    [InlineData("Web_0")]
    [InlineData("-web")]
    [InlineData("web-")]
    [InlineData("web..0")]
    [InlineData(".web")]
    [InlineData("web 0")]
    [InlineData("web-0\n")]
    [InlineData("wéb")]
    public void Invalid_subdomains_fail_with_the_Kubernetes_message(string name)
    {
        var error = Assert.Single(DnsNames.ValidateSubdomain("metadata.name", name));
        Assert.Equal("metadata.name", error.Field);
        Assert.StartsWith("Invalid value: ", error.Detail(), StringComparison.Ordinal);
        Assert.EndsWith(
            ": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
            error.Detail(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_subdomain_longer_than_253_characters_fails()
    {
        var name = string.Join('.', Enumerable.Repeat(new string('a', 63), 4)); // 255 characters, each label fine
        var error = Assert.Single(DnsNames.ValidateSubdomain("metadata.name", name));
        Assert.Equal("must be no more than 253 characters", error.Text);
        Assert.Empty(DnsNames.ValidateSubdomain("metadata.name", name[..253].TrimEnd('.')));
    }

    [Theory]
    [InlineData("default", true)]
    [InlineData("kube-system", true)]
    [InlineData("a.b", false)]
    [InlineData("Default", false)]
    public void Namespaces_must_be_labels(string value, bool valid) =>
        Assert.Equal(valid, !DnsNames.ValidateLabel("metadata.namespace", value).Any());
}
