using System.Security.Cryptography;
using TokenAuthority.Issuing;
using TokenAuthority.Keys;
using TokenAuthority.Model;
using TokenAuthority.Tests.TestSupport;
using TokenAuthority.Verifying;

namespace TokenAuthority.Tests.Keys;

/// <summary>
/// A key whose private part is held by an <see cref="ITokenKeySigner"/>: the key id and algorithm come from the
/// signer's public key, tokens are signed by sending a digest, every signature is checked before it is used, and a
/// key held in the process still signs without awaiting anything.
/// </summary>
public sealed class ExternalSignerTests
{
    private static readonly DateTimeOffset Now = new(2026, 7, 24, 12, 0, 0, TimeSpan.Zero);

    public static TheoryData<string, int> Signers => new()
    {
        { "RS256", 32 },
        { "ES256", 32 },
        { "ES384", 48 },
        { "ES512", 64 },
    };

    [Theory]
    [MemberData(nameof(Signers))]
    public void Tokens_signed_through_an_external_signer_verify_and_the_signer_sees_only_a_digest(string algorithm, int digestLength)
    {
        using var signer = Make(algorithm, yieldFirst: true);
        using var key = TokenKey.FromExternalSigner(signer);
        using var authority = new TestAuthority(signingKey: key);

        var result = authority.Create(new TokenRequestSpec { Audiences = ["api"] });
        var verified = authority.Verify(result.Response!.Status.Token!, "api");

        Assert.Equal(algorithm, key.Algorithm);
        Assert.True(key.HasPrivateKey);
        Assert.True(key.IsExternal);
        Assert.Equal(TokenVerificationOutcome.Authenticated, verified.Outcome);
        Assert.Equal([digestLength], signer.DigestLengths);
    }

    [Fact]
    public void The_key_id_is_the_signers_public_key_id_and_no_private_key_can_be_exported()
    {
        using var signer = ExternalSigners.Ec(ECCurve.NamedCurves.nistP256);
        using var key = TokenKey.FromExternalSigner(signer);
        using var published = TokenKey.ParsePem(PemEncoding.WriteString("PUBLIC KEY", signer.SubjectPublicKeyInfo.Span))[0];

        Assert.Equal(published.KeyId, key.KeyId);
        Assert.Equal(published.ExportPublicKeyPem(), key.ExportPublicKeyPem());
        Assert.Throws<CryptographicException>(key.ExportPrivateKeyPem);
        Assert.Throws<InvalidOperationException>(() => key.Sign("data"u8));
    }

    [Theory]
    [InlineData("der")]
    [InlineData("flipped")]
    [InlineData("throws")]
    public void A_signer_whose_answer_does_not_verify_or_that_fails_makes_the_TokenRequest_a_500_Status_never_a_token(string fault)
    {
        using var signer = fault switch
        {
            "der" => ExternalSigners.EcDer(),
            "flipped" => ExternalSigners.Ec(ECCurve.NamedCurves.nistP256, tamper: s => { s[0] ^= 1; return s; }),
            _ => ExternalSigners.Failing(new IOException("the HSM went away")),
        };
        using var key = TokenKey.FromExternalSigner(signer);
        using var authority = new TestAuthority(signingKey: key);

        var result = authority.Create(new TokenRequestSpec { Audiences = ["api"] });

        Assert.False(result.Succeeded);
        Assert.Equal(500, result.Error.Code);
        Assert.Equal("InternalError", result.Error.Reason);
        Assert.Equal("Internal error occurred: failed to generate token: the signing key could not sign", result.Error.Message);
    }

    [Fact]
    public void A_signer_with_a_weak_or_unreadable_public_key_is_refused_when_the_key_is_made()
    {
        using var weak = ExternalSigners.Rsa(1024);

        Assert.Equal("the RSA key has 1024 bits; use at least 2048 bits (or an ECDSA P-256 key)",
            Assert.Throws<NotSupportedException>(() => TokenKey.FromExternalSigner(weak)).Message);
        Assert.Throws<FormatException>(() => TokenKey.FromExternalSigner(new GarbageSigner()));
    }

    [Theory]
    [InlineData("RSA")]
    [InlineData("EC")]
    public void A_key_held_in_the_process_signs_without_awaiting(string type)
    {
        using var key = type == "RSA" ? TokenForge.RsaKey() : TokenForge.EcdsaKey();

        var pending = TokenSigner.SignAsync(key, TokenForge.Claims(Now, 3600, "api"));

        Assert.True(pending.IsCompletedSuccessfully);
    }

    [Fact]
    public async Task A_cancelled_request_cancels_the_signers_wait()
    {
        using var signer = ExternalSigners.Ec(ECCurve.NamedCurves.nistP256);
        using var key = TokenKey.FromExternalSigner(new CancellingSigner(signer));
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => TokenSigner.SignAsync(key, TokenForge.Claims(Now, 3600, "api"), cts.Token).AsTask());
    }

    private static ExternalSigners Make(string algorithm, bool yieldFirst) => algorithm switch
    {
        "RS256" => ExternalSigners.Rsa(yieldFirst: yieldFirst),
        "ES256" => ExternalSigners.Ec(ECCurve.NamedCurves.nistP256, yieldFirst),
        "ES384" => ExternalSigners.Ec(ECCurve.NamedCurves.nistP384, yieldFirst),
        _ => ExternalSigners.Ec(ECCurve.NamedCurves.nistP521, yieldFirst),
    };

    private sealed class GarbageSigner : ITokenKeySigner
    {
        public ReadOnlyMemory<byte> SubjectPublicKeyInfo => new byte[] { 0x30, 0x03, 0x02, 0x01, 0x00 };

        public ValueTask<byte[]> SignDigestAsync(ReadOnlyMemory<byte> digest, CancellationToken cancellationToken) => throw new NotSupportedException();
    }

    private sealed class CancellingSigner(ITokenKeySigner inner) : ITokenKeySigner
    {
        public ReadOnlyMemory<byte> SubjectPublicKeyInfo => inner.SubjectPublicKeyInfo;

        public async ValueTask<byte[]> SignDigestAsync(ReadOnlyMemory<byte> digest, CancellationToken cancellationToken)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
            return await inner.SignDigestAsync(digest, cancellationToken);
        }
    }
}
