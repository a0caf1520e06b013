using System.Net;
using TokenAuthority.Pkcs11.Tests.TestSupport;
using TokenAuthority.Verifying;

namespace TokenAuthority.Pkcs11.Tests.Issuing;

/// <summary>
/// Several instances (each its own host and service provider) configured alike on one token are one authority: they
/// sign with the same key, publish the same JWKS, and verify each other's tokens; an instance that has moved on to a
/// new signing key still verifies the old key's tokens while its label is listed for verification.
/// </summary>
[Collection(SoftHsmGroup.Name)]
public sealed class Pkcs11ReplicaTests(SoftHsm hsm)
{
    [Fact]
    public async Task Instances_on_one_token_agree_on_the_key_and_verify_each_others_tokens()
    {
        await using var first = await HsmAuthority.StartAsync(hsm.Options(SoftHsm.Rsa, verificationLabels: [SoftHsm.RsaOld]));
        await using var second = await HsmAuthority.StartAsync(hsm.Options(SoftHsm.Rsa, verificationLabels: [SoftHsm.RsaOld]));
        await using var serviceOfFirst = await StockJwtBearerService.StartAsync(first.CreateHandler(), "orders");

        var fromFirst = await first.IssueAsync("orders");
        var fromSecond = await second.IssueAsync("orders");

        Assert.Equal(first.Keys.SigningKey.KeyId, second.Keys.SigningKey.KeyId);
        Assert.Equal((await first.JwksAsync()).GetRawText(), (await second.JwksAsync()).GetRawText());
        Assert.Equal(TokenVerificationOutcome.Authenticated, (await second.Verifier.VerifyAsync(fromFirst, ["orders"])).Outcome);
        Assert.Equal(TokenVerificationOutcome.Authenticated, (await first.Verifier.VerifyAsync(fromSecond, ["orders"])).Outcome);
        Assert.Equal(HttpStatusCode.OK, (await serviceOfFirst.WhoAmIAsync(fromSecond)).Status);
    }

    [Fact]
    public async Task An_instance_rotated_to_a_new_key_still_verifies_the_old_keys_tokens_and_its_own_verify_everywhere()
    {
        await using var old = await HsmAuthority.StartAsync(hsm.Options(SoftHsm.RsaOld, verificationLabels: [SoftHsm.Ec]));
        await using var rotated = await HsmAuthority.StartAsync(hsm.Options(SoftHsm.Ec, verificationLabels: [SoftHsm.RsaOld]));
        await using var unrelated = await HsmAuthority.StartAsync(hsm.Options(SoftHsm.Rsa));

        var oldToken = await old.IssueAsync("orders");
        var newToken = await rotated.IssueAsync("orders");

        Assert.Equal(TokenVerificationOutcome.Authenticated, (await rotated.Verifier.VerifyAsync(oldToken, ["orders"])).Outcome);
        Assert.Equal(TokenVerificationOutcome.Authenticated, (await old.Verifier.VerifyAsync(newToken, ["orders"])).Outcome);

        // A key not listed is not trusted, though it lives on the same token.
        Assert.NotEqual(TokenVerificationOutcome.Authenticated, (await unrelated.Verifier.VerifyAsync(oldToken, ["orders"])).Outcome);
        Assert.NotEqual(TokenVerificationOutcome.Authenticated, (await unrelated.Verifier.VerifyAsync(newToken, ["orders"])).Outcome);
    }
}
