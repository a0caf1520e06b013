using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using TokenAuthority.Binding;
using TokenAuthority.Issuing;
using TokenAuthority.Keys;
using TokenAuthority.Keys.Ring;
using TokenAuthority.Model;
using TokenAuthority.PostgreSql.Notifications;
using TokenAuthority.PostgreSql.Storage;
using TokenAuthority.Verifying;

namespace TokenAuthority.PostgreSql.Tests.TestSupport;

/// <summary>
/// One "replica": a service provider with the authority on PostgreSQL, its hosted listener started, sharing the
/// Data Protection key directory given (every replica of a deployment shares it).
/// </summary>
internal sealed class Replica : IAsyncDisposable
{
    public const string Issuer = "https://authority.test";

    private readonly ServiceProvider _services;
    private readonly IHostedService[] _hosted;

    private Replica(ServiceProvider services, IHostedService[] hosted)
    {
        _services = services;
        _hosted = hosted;
    }

    public IServiceProvider Services => _services;

    public PostgreSqlObjectStore Store => _services.GetRequiredService<PostgreSqlObjectStore>();

    public PostgreSqlChangeListener Listener => _services.GetRequiredService<PostgreSqlChangeListener>();

    public ITokenKeySetProvider Keys => _services.GetRequiredService<ITokenKeySetProvider>();

    public IKeyRing Ring => _services.GetRequiredService<IKeyRing>();

    public static async Task<Replica> StartAsync(string connectionString, string dataProtectionKeys, TimeProvider? time = null, Action<IServiceCollection>? configure = null)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(time ?? new FakeTimeProvider(DateTimeOffset.UtcNow));
        services.AddTokenAuthority(o =>
        {
            o.Issuer = Issuer;
            o.MaxExpirationSeconds = 86_400;
        }).AddPostgreSql(o =>
        {
            o.ConnectionString = connectionString;
            o.ReconnectDelay = TimeSpan.FromMilliseconds(50);
            o.MaxReconnectDelay = TimeSpan.FromMilliseconds(400);
        });
        services.AddDataProtection().SetApplicationName("tokenauthority-tests").PersistKeysToFileSystem(new DirectoryInfo(dataProtectionKeys));
        configure?.Invoke(services);
        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        _ = provider.GetRequiredService<IOptions<TokenAuthorityOptions>>().Value;
        var hosted = provider.GetServices<IHostedService>().ToArray();
        foreach (var service in hosted)
        {
            await service.StartAsync(CancellationToken.None);
        }

        var replica = new Replica(provider, hosted);
        await replica.WaitUntilAsync(() => replica.Listener.IsListening, "the listener listens");
        return replica;
    }

    public async Task<string> IssuePodBoundAsync(string pod, string serviceAccount = "builder")
    {
        var result = await _services.GetRequiredService<ITokenIssuer>().CreateTokenAsync("default", serviceAccount, new TokenRequest
        {
            Spec = new TokenRequestSpec
            {
                Audiences = ["api"],
                ExpirationSeconds = 3600,
                BoundObjectRef = new BoundObjectReference { Kind = BoundObjectKinds.Pod, ApiVersion = "v1", Name = pod },
            },
        });
        Assert.True(result.Succeeded, result.Error?.Message);
        return result.Response.Status.Token;
    }

    public async Task<TokenVerificationResult> VerifyAsync(string token) =>
        await _services.GetRequiredService<ITokenVerifier>().VerifyAsync(token, ["api"]);

    public async Task WaitUntilAsync(Func<bool> condition, string what, int timeoutMs = 10_000)
    {
        var started = Environment.TickCount64;
        while (!condition())
        {
            Assert.True(Environment.TickCount64 - started < timeoutMs, $"timed out waiting until {what}");
            await Task.Delay(10);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var service in _hosted)
        {
            await service.StopAsync(CancellationToken.None);
        }

        await _services.DisposeAsync();
    }
}
