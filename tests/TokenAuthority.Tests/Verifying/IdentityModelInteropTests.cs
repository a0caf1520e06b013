using System.Security.Cryptography;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using TokenAuthority.Keys;
using TokenAuthority.Model;
using TokenAuthority.Tests.TestSupport;

namespace TokenAuthority.Tests.Verifying;

/// <summary>An OIDC verifier that knows only the JWKS, the issuer and its audience accepts every issued token.</summary>
public class IdentityModelInteropTests
{
    public static TheoryData<string, string?> Cases()
    {
        var data = new TheoryData<string, string?>();
        foreach (var key in new[] { "rsa", "p256", "p384", "p521" })
        {
            foreach (var binding in new string?[] { null, "Pod", "Secret", "Node" })
            {
                data.Add(key, binding);
            }
        }

        return data;
    }

    private static TokenKey Key(string name) => name switch
    {
        "rsa" => TokenForge.RsaKey(),
        "p256" => TokenForge.EcdsaKey(),
        "p384" => TokenKey.FromECDsa(ECDsa.Create(ECCurve.NamedCurves.nistP384)),
        _ => TokenKey.FromECDsa(ECDsa.Create(ECCurve.NamedCurves.nistP521)),
    };

    private static (TestAuthority Authority, string Token) Issue(string keyName, string? binding, string[] audiences)
    {
        // IdentityModel checks lifetimes against the real clock, so the authority starts now.
        var now = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        var authority = new TestAuthority(signingKey: Key(keyName), start: now);
        authority.Store.AddNode("n1", "node-uid");
        authority.Store.AddPod("default", "web-0", "builder", "n1", "pod-uid");
        authority.Store.AddSecret("default", "s1", "secret-uid");
        var name = binding switch { "Pod" => "web-0", "Secret" => "s1", _ => "n1" };
        var result = authority.Create(new TokenRequestSpec
        {
            Audiences = audiences,
            BoundObjectRef = binding is null ? null : new BoundObjectReference { Kind = binding, ApiVersion = "v1", Name = name },
        });
        Assert.True(result.Succeeded, result.Error?.Message);
        return (authority, result.Response.Status.Token);
    }

    private static TokenValidationResult Validate(TestAuthority authority, string token, string audience, string issuer = TestAuthority.Issuer)
    {
        var jwks = new JsonWebKeySet(authority.Metadata.Current.KeySetJson);
        var parameters = new TokenValidationParameters
        {
            ValidIssuer = issuer,
            ValidAudience = audience,
            IssuerSigningKeys = jwks.GetSigningKeys(),
        };
        return new JsonWebTokenHandler().ValidateTokenAsync(token, parameters).GetAwaiter().GetResult();
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void IssuedTokensValidateWithOnlyTheJwks(string key, string? binding)
    {
        var (authority, token) = Issue(key, binding, ["https://vault.example.com", "api"]);
        using var _ = authority;

        var result = Validate(authority, token, "api");

        Assert.True(result.IsValid, result.Exception?.ToString());
        Assert.Equal("system:serviceaccount:default:builder", result.ClaimsIdentity.FindFirst("sub")?.Value);
    }

    [Theory]
    [InlineData("rsa")]
    [InlineData("p256")]
    public void AWrongAudienceOrIssuerOrATamperedTokenFailsThereToo(string key)
    {
        var (authority, token) = Issue(key, "Pod", ["api"]);
        using var _ = authority;
        var parts = token.Split('.');
        var tampered = parts[0] + "." + TokenForge.Encode(TokenForge.DecodePart(token, 1).Replace("\"api\"", "\"vault\"", StringComparison.Ordinal)) + "." + parts[2];

        var wrongAudience = Validate(authority, token, "vault");
        var wrongIssuer = Validate(authority, token, "api", "https://other.example.com");
        var forged = Validate(authority, tampered, "vault");

        Assert.False(wrongAudience.IsValid);
        Assert.IsType<SecurityTokenInvalidAudienceException>(wrongAudience.Exception);
        Assert.False(wrongIssuer.IsValid);
        Assert.IsType<SecurityTokenInvalidIssuerException>(wrongIssuer.Exception);
        Assert.False(forged.IsValid);
        Assert.IsType<SecurityTokenInvalidSignatureException>(forged.Exception);
    }
}
