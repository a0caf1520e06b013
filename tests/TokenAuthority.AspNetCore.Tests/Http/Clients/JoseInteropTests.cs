using TokenAuthority.Tests.TestSupport;
using System.Net;
using System.Text.Json;
using TokenAuthority.AspNetCore.Tests.Http.Support;
using TokenAuthority.AspNetCore.Tests.TestSupport;

namespace TokenAuthority.AspNetCore.Tests.Http.Clients;

/// <summary>A verifier in another language: npm <c>jose</c> 6 (<c>createRemoteJWKSet</c> + <c>jwtVerify</c>) against the running JWKS.</summary>
public sealed class JoseInteropTests(AuthorityServerFixture fixture) : IClassFixture<AuthorityServerFixture>
{
    private AuthorityServer Server => fixture.Server;

    private async Task<string> IssueAsync(string body)
    {
        using var client = Server.CreateClient();
        using var response = await client.PostJsonAsync("/api/v1/namespaces/default/serviceaccounts/builder/token", body);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.ReadJsonAsync()).GetProperty("status").GetProperty("token").GetString()!;
    }

    [JoseFact]
    public async Task JoseVerifiesIssuedTokens()
    {
        var token = await IssueAsync("""{"spec":{"audiences":["api","vault"],"boundObjectRef":{"kind":"Pod","apiVersion":"v1","name":"web-0"}}}""");
        var result = await JoseInterop.VerifyAsync(Server, Server.CertificateAuthorityFile, Server.Issuer, "vault", token);
        Assert.True(result.ExitCode == 0, result.ToString());
        var verified = JsonDocument.Parse(result.StandardOutput).RootElement;
        Assert.Equal("RS256", verified.GetProperty("header").GetProperty("alg").GetString());
        Assert.Equal(KubernetesTestKeys.RsaKeyId, verified.GetProperty("header").GetProperty("kid").GetString());
        var payload = verified.GetProperty("payload");
        Assert.Equal("system:serviceaccount:default:builder", payload.GetProperty("sub").GetString());
        Assert.Equal(Server.Issuer, payload.GetProperty("iss").GetString());
        Assert.Equal("web-0", payload.GetProperty("kubernetes.io").GetProperty("pod").GetProperty("name").GetString());
    }

    [JoseFact]
    public async Task JoseRejectsWrongAudienceIssuerAndSignature()
    {
        var token = await IssueAsync("""{"spec":{"audiences":["api"]}}""");
        var certificate = Server.CertificateAuthorityFile;

        var audience = await JoseInterop.VerifyAsync(Server, certificate, Server.Issuer, "vault", token);
        Assert.Equal(1, audience.ExitCode);
        Assert.Equal("ERR_JWT_CLAIM_VALIDATION_FAILED: unexpected \"aud\" claim value", audience.StandardError);

        var issuer = await JoseInterop.VerifyAsync(Server, certificate, "https://someone-else.example", "api", token);
        Assert.Equal(1, issuer.ExitCode);
        Assert.Equal("ERR_JWT_CLAIM_VALIDATION_FAILED: unexpected \"iss\" claim value", issuer.StandardError);

        var parts = token.Split('.');
        var tampered = parts[0] + "." + parts[1] + "." + (parts[2][0] == 'A' ? 'B' : 'A') + parts[2][1..];
        var signature = await JoseInterop.VerifyAsync(Server, certificate, Server.Issuer, "api", tampered);
        Assert.Equal(1, signature.ExitCode);
        Assert.StartsWith("ERR_JWS_SIGNATURE_VERIFICATION_FAILED", signature.StandardError, StringComparison.Ordinal);
    }
}
