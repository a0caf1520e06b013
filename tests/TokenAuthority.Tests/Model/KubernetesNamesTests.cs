using TokenAuthority.Model;

namespace TokenAuthority.Tests.Model;

public sealed class KubernetesNamesTests
{
    [Theory]
    [InlineData("web-0")]
    [InlineData("a")]
    [InlineData("0")]
    [InlineData("example.com")]
    [InlineData("a.b-c.d1")]
    public void Valid_subdomains_pass(string name) => Assert.Empty(KubernetesNames.ValidateSubdomain("metadata.name", name));

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
        var error = Assert.Single(KubernetesNames.ValidateSubdomain("metadata.name", name));
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
        var error = Assert.Single(KubernetesNames.ValidateSubdomain("metadata.name", name));
        Assert.Equal("must be no more than 253 characters", error.Text);
        Assert.Empty(KubernetesNames.ValidateSubdomain("metadata.name", name[..253].TrimEnd('.')));
    }

    [Theory]
    [InlineData("default", true)]
    [InlineData("kube-system", true)]
    [InlineData("a.b", false)]
    [InlineData("Default", false)]
    public void Namespaces_must_be_labels(string value, bool valid) =>
        Assert.Equal(valid, !KubernetesNames.ValidateLabel("metadata.namespace", value).Any());

    [Theory]
    [InlineData("web-0", true, true)]
    [InlineData("example.com", false, true)]
    [InlineData("Web_0", false, false)]
    [InlineData("a:b", false, false)]
    [InlineData("", false, false)]
    [InlineData(null, false, false)]
    public void The_predicates_agree_with_the_validators(string? name, bool label, bool subdomain)
    {
        Assert.Equal(label, KubernetesNames.IsLabel(name));
        Assert.Equal(subdomain, KubernetesNames.IsSubdomain(name));
        if (name is not null)
        {
            Assert.Equal(label, KubernetesNames.ValidateLabel("f", name).Count == 0);
            Assert.Equal(subdomain, KubernetesNames.ValidateSubdomain("f", name).Count == 0);
        }
    }

    [Fact]
    public void The_length_limits_are_Kubernetes_own()
    {
        Assert.True(KubernetesNames.IsLabel(new string('a', 63)));
        Assert.False(KubernetesNames.IsLabel(new string('a', 64)));
        Assert.True(KubernetesNames.IsSubdomain(new string('a', 253)));
        Assert.False(KubernetesNames.IsSubdomain(new string('a', 254)));
    }
}
