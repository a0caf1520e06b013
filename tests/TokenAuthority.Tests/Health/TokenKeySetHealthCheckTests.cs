using Microsoft.Extensions.Diagnostics.HealthChecks;
using TokenAuthority.Health;
using TokenAuthority.Keys;

namespace TokenAuthority.Tests.Health;

public sealed class TokenKeySetHealthCheckTests
{
    [Fact]
    public async Task A_key_set_whose_signing_key_signs_is_healthy_and_names_the_key_id_only()
    {
        using var key = TokenKey.GenerateECDsa();
        var result = await Check(new FixedProvider(new TokenKeySet(key)));

        Assert.Equal(HealthStatus.Healthy, result.Status);
        Assert.Contains(key.KeyId, result.Description, StringComparison.Ordinal);
        Assert.DoesNotContain("PRIVATE", result.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_provider_that_cannot_load_the_keys_is_unhealthy()
    {
        var result = await Check(new ThrowingProvider());

        Assert.Equal(HealthStatus.Unhealthy, result.Status);
        Assert.Equal("the token keys cannot be loaded (FormatException)", result.Description);
        Assert.IsType<FormatException>(result.Exception);
    }

    [Fact]
    public async Task A_signing_key_that_can_no_longer_sign_is_unhealthy()
    {
        var key = TokenKey.GenerateRsa();
        var set = new TokenKeySet(key);
        key.Dispose(); // e.g. a provider that disposed a key still in its current set

        var result = await Check(new FixedProvider(set));

        Assert.Equal(HealthStatus.Unhealthy, result.Status);
        Assert.Equal($"the signing key {key.KeyId} cannot sign (ObjectDisposedException)", result.Description);
    }

    private static Task<HealthCheckResult> Check(ITokenKeySetProvider provider) =>
        new TokenKeySetHealthCheck(provider).CheckHealthAsync(new HealthCheckContext());

    private sealed class FixedProvider(TokenKeySet set) : ITokenKeySetProvider
    {
        public TokenKeySet Current => set;
    }

    private sealed class ThrowingProvider : ITokenKeySetProvider
    {
        public TokenKeySet Current => throw new FormatException("no PEM-encoded key was found");
    }
}
