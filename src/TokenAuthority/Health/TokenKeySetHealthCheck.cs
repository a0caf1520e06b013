using System.Security.Cryptography;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using TokenAuthority.Keys;
using TokenAuthority.Keys.Ring;

namespace TokenAuthority.Health;

/// <summary>
/// Healthy when the key set loads and its signing key signs a probe that verifies with the key's public half, which is
/// what issuing needs. With a key ring, also what the next rotation needs (<see cref="KeyRingHealth"/>): Degraded when
/// no successor is ready or the store cannot be re-read, Unhealthy without an active key. Never puts key material in its result.
/// </summary>
internal sealed class TokenKeySetHealthCheck(ITokenKeySetProvider provider) : IHealthCheck
{
    private static readonly byte[] Probe = "TokenAuthority health probe"u8.ToArray();

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        TokenKeySet keys;
        try
        {
            keys = provider.Current;
        }
#pragma warning disable CA1031 // Whatever a key provider throws, the answer is "unhealthy", never a crash of the health endpoint.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return Task.FromResult(HealthCheckResult.Unhealthy($"the token keys cannot be loaded ({ex.GetType().Name})", ex));
        }

        var signing = keys.SigningKey;
        try
        {
            var signature = signing.Sign(Probe);
            if (!signing.VerificationKey.Verify(signing.Algorithm, Probe, signature))
            {
                return Task.FromResult(HealthCheckResult.Unhealthy($"the signing key {signing.KeyId} signs, but its signatures do not verify with its public key"));
            }
        }
        catch (Exception ex) when (ex is CryptographicException or ObjectDisposedException or InvalidOperationException or NotSupportedException)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy($"the signing key {signing.KeyId} cannot sign ({ex.GetType().Name})", ex));
        }

        var summary = $"signing key {signing.KeyId} ({signing.Algorithm}), {keys.VerificationKeys.Count} verification key(s)";
        var data = new Dictionary<string, object> { ["signingKeyId"] = signing.KeyId, ["verificationKeys"] = keys.VerificationKeys.Count };
        if (provider is not KeyRingTokenKeySetProvider ring)
        {
            return Task.FromResult(HealthCheckResult.Healthy(summary, data));
        }

        // A key ring: is the next rotation prepared, and is the store still read?
        KeyRingStatus status;
        try
        {
            status = ring.GetStatus();
        }
#pragma warning disable CA1031 // As above: a ring that cannot be loaded is unhealthy, never a crash of the health endpoint.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return Task.FromResult(HealthCheckResult.Unhealthy($"the key ring cannot be loaded ({ex.GetType().Name})", ex));
        }

        var (health, description) = KeyRingHealth.Evaluate(status);
        return Task.FromResult(new HealthCheckResult(health, $"{summary}; {description}", data: data));
    }
}
