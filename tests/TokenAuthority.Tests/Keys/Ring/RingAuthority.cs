using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using TokenAuthority.Discovery;
using TokenAuthority.Issuing;
using TokenAuthority.Keys;
using TokenAuthority.Keys.Ring;
using TokenAuthority.Model;
using TokenAuthority.Tests.TestSupport;
using TokenAuthority.Verifying;

namespace TokenAuthority.Tests.Keys.Ring;

/// <summary>An authority instance over a key ring store, wired through the real registration, on a given fake clock.</summary>
internal sealed class RingAuthority : IDisposable
{
    public RingAuthority(FakeTimeProvider clock, IKeyRingStore? store, Action<KeyRingOptions> ring, Action<TokenAuthorityOptions>? configure = null, string? directory = null, ListLoggerProvider? logs = null)
    {
        Clock = clock;
        var services = new ServiceCollection();
        services.AddLogging(l =>
        {
            if (logs is not null)
            {
                l.AddProvider(logs);
            }
        });
        services.AddSingleton<TimeProvider>(clock);
        if (store is not null)
        {
            services.AddSingleton(store);
        }

        var builder = services.AddTokenAuthority(o =>
        {
            o.Issuer = TestAuthority.Issuer;
            configure?.Invoke(o);
        }).AddInMemoryBoundObjects(s => s.AddServiceAccount("default", "builder", "sa-uid-1"));
        if (directory is not null)
        {
            builder.AddManagedKeyDirectory(directory, ring);
        }
        else
        {
            services.Configure(ring);
        }

        Services = services.BuildServiceProvider();
    }

    /// <summary>A timeline short enough to walk through on a fake clock: max-age 10 min, refresh 1 min, rotation 1 h, ES256.</summary>
    public static void ShortTimeline(KeyRingOptions o)
    {
        o.JwksMaxAge = TimeSpan.FromMinutes(10);
        o.RefreshInterval = TimeSpan.FromMinutes(1);
        o.RotationInterval = TimeSpan.FromHours(1);
        o.Algorithm = "ES256";
    }

    public FakeTimeProvider Clock { get; }

    public ServiceProvider Services { get; }

    public IKeyRing Ring => Services.GetRequiredService<IKeyRing>();

    public ITokenKeySetProvider Keys => Services.GetRequiredService<ITokenKeySetProvider>();

    /// <summary>Runs what the ring's timer runs, and waits for it.</summary>
    public void Refresh() => ((KeyRingTokenKeySetProvider)Keys).RefreshAsync().GetAwaiter().GetResult();

    public KeyRingRotation Rotate() => Ring.RotateNowAsync().GetAwaiter().GetResult();

    public string Issue(long seconds)
    {
        var result = Services.GetRequiredService<ITokenIssuer>()
            .CreateTokenAsync("default", "builder", new TokenRequest { Spec = new TokenRequestSpec { ExpirationSeconds = seconds } })
            .AsTask().GetAwaiter().GetResult();
        Assert.True(result.Succeeded, result.Succeeded ? null : result.Error.Message);
        return result.Response.Status!.Token!;
    }

    public TokenVerificationResult Verify(string token) =>
        Services.GetRequiredService<ITokenVerifier>().VerifyAsync(token, null).AsTask().GetAwaiter().GetResult();

    /// <summary>The key ids the JWKS serves now.</summary>
    public HashSet<string> JwksKeyIds()
    {
        using var doc = JsonDocument.Parse(Services.GetRequiredService<IOpenIdMetadataProvider>().Current.KeySetJson);
        return doc.RootElement.GetProperty("keys").EnumerateArray().Select(k => k.GetProperty("kid").GetString()!).ToHashSet(StringComparer.Ordinal);
    }

    public void Dispose() => Services.Dispose();

    /// <summary>The kid, iat and exp of a compact JWS, read without verifying.</summary>
    public static (string Kid, long Iat, long Exp) Peek(string token)
    {
        var parts = token.Split('.');
        using var header = JsonDocument.Parse(System.Buffers.Text.Base64Url.DecodeFromChars(parts[0]));
        using var payload = JsonDocument.Parse(System.Buffers.Text.Base64Url.DecodeFromChars(parts[1]));
        return (header.RootElement.GetProperty("kid").GetString()!, payload.RootElement.GetProperty("iat").GetInt64(), payload.RootElement.GetProperty("exp").GetInt64());
    }
}
