using System.Net;
using System.Text.Json;
using TokenAuthority.Pkcs11.Tests.TestSupport;
using TokenAuthority.Verifying;

namespace TokenAuthority.Pkcs11.Tests.Issuing;

/// <summary>
/// Tokens signed inside SoftHSM2 verify with the library's verifier and with a stock JwtBearer that reads the
/// authority's discovery and JWKS; the JWKS publishes public parameters only.
/// </summary>
[Collection(SoftHsmGroup.Name)]
public sealed class Pkcs11IssuingTests(SoftHsm hsm)
{
    [Theory]
    [InlineData(SoftHsm.Rsa, "RS256", "RSA")]
    [InlineData(SoftHsm.Ec, "ES256", "EC")]
    [InlineData(SoftHsm.Ec384, "ES384", "EC")]
    public async Task Tokens_signed_in_the_token_verify_with_our_verifier_and_with_stock_JwtBearer_through_discovery(string label, string algorithm, string keyType)
    {
        await using var authority = await HsmAuthority.StartAsync(hsm.Options(label));
        await using var service = await StockJwtBearerService.StartAsync(authority.CreateHandler(), "orders");

        var token = await authority.IssueAsync("orders");
        var ours = await authority.Verifier.VerifyAsync(token, ["orders"]);
        var stock = await service.WhoAmIAsync(token);
        var otherAudience = await service.WhoAmIAsync(await authority.IssueAsync("billing"));

        var key = authority.Keys.SigningKey;
        Assert.True(key.IsExternal);
        Assert.Equal(keyType, key.KeyType);
        Assert.Equal(algorithm, Jws.Header(token).GetProperty("alg").GetString());
        Assert.Equal(key.KeyId, Jws.Header(token).GetProperty("kid").GetString());
        Assert.Equal(TokenVerificationOutcome.Authenticated, ours.Outcome);
        Assert.Equal("system:serviceaccount:default:builder", ours.User!.Username);
        Assert.Equal((HttpStatusCode.OK, "system:serviceaccount:default:builder"), stock);
        Assert.Equal(HttpStatusCode.Unauthorized, otherAudience.Status);
    }

    [Theory]
    [InlineData(SoftHsm.Ec, 64)]
    [InlineData(SoftHsm.Ec384, 96)]
    [InlineData(SoftHsm.Rsa, 256)]
    public async Task Signatures_have_the_JWS_form_fixed_length_r_s_for_ECDSA(string label, int length)
    {
        await using var authority = await HsmAuthority.StartAsync(hsm.Options(label));

        for (var i = 0; i < 20; i++)
        {
            // A DER ECDSA signature varies in length (70–72 bytes for P-256); r || s never does.
            Assert.Equal(length, Jws.Signature(await authority.IssueAsync("orders")).Length);
        }
    }

    [Fact]
    public async Task A_token_whose_signature_is_altered_is_refused_by_both_verifiers()
    {
        await using var authority = await HsmAuthority.StartAsync(hsm.Options(SoftHsm.Ec));
        await using var service = await StockJwtBearerService.StartAsync(authority.CreateHandler(), "orders");
        var token = await authority.IssueAsync("orders");
        var signature = Jws.Signature(token);
        signature[^1] ^= 0x01;
        var altered = token[..(token.LastIndexOf('.') + 1)] + System.Buffers.Text.Base64Url.EncodeToString(signature);

        var ours = await authority.Verifier.VerifyAsync(altered, ["orders"]);
        var stock = await service.WhoAmIAsync(altered);

        Assert.NotEqual(TokenVerificationOutcome.Authenticated, ours.Outcome);
        Assert.Equal(HttpStatusCode.Unauthorized, stock.Status);
    }

    [Fact]
    public async Task The_JWKS_publishes_the_signing_and_verification_keys_with_public_parameters_only()
    {
        await using var authority = await HsmAuthority.StartAsync(hsm.Options(SoftHsm.Ec, verificationLabels: [SoftHsm.Rsa, SoftHsm.RsaOld]));

        var jwks = await authority.JwksAsync();
        var keys = jwks.GetProperty("keys").EnumerateArray().ToList();

        Assert.Equal(authority.Keys.VerificationKeys.Select(k => k.KeyId), keys.Select(k => k.GetProperty("kid").GetString()));
        Assert.Equal(["EC", "RSA", "RSA"], keys.Select(k => k.GetProperty("kty").GetString()));
        string[] allowed = ["kty", "kid", "use", "alg", "crv", "x", "y", "n", "e"];
        foreach (var key in keys)
        {
            var names = key.EnumerateObject().Select(p => p.Name).ToList();
            Assert.All(names, name => Assert.Contains(name, allowed));
            Assert.DoesNotContain("d", names);
        }
    }

    [Fact]
    public async Task Two_hundred_tokens_issued_at_once_all_verify()
    {
        var options = hsm.Options(SoftHsm.Ec);
        options.MaxSessions = 4;
        await using var authority = await HsmAuthority.StartAsync(options);

        var tokens = await Task.WhenAll(Enumerable.Range(0, 200).Select(_ => Task.Run(() => authority.IssueAsync("orders"))));
        var results = await Task.WhenAll(tokens.Select(t => authority.Verifier.VerifyAsync(t, ["orders"]).AsTask()));

        Assert.All(results, r => Assert.Equal(TokenVerificationOutcome.Authenticated, r.Outcome));
        Assert.Equal(200, tokens.Select(t => Jws.Payload(t).GetProperty("jti").GetString()).Distinct().Count());
    }

    [Fact]
    public async Task Two_hundred_RSA_tokens_issued_at_once_all_verify()
    {
        await using var authority = await HsmAuthority.StartAsync(hsm.Options(SoftHsm.Rsa));

        var tokens = await Task.WhenAll(Enumerable.Range(0, 200).Select(_ => Task.Run(() => authority.IssueAsync("orders"))));
        var results = await Task.WhenAll(tokens.Select(t => authority.Verifier.VerifyAsync(t, ["orders"]).AsTask()));

        Assert.All(results, r => Assert.Equal(TokenVerificationOutcome.Authenticated, r.Outcome));
    }
}
