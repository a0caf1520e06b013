using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TokenAuthority.Keys;
using TokenAuthority.Tests.TestSupport;

namespace TokenAuthority.Tests.Keys;

/// <summary>PEM key files, the Kubernetes way: an edit on disk is picked up without a restart; a broken edit keeps the last good keys.</summary>
public sealed class KeyFileWatchTests : IDisposable
{
    private static readonly TimeSpan EventTimeout = TimeSpan.FromSeconds(20);
    private readonly string _dir = Directory.CreateTempSubdirectory("tokenauthority-watch-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task AnEditedSigningKeyFileIsLoadedAndSignalledAndABrokenEditKeepsTheLastGoodKeys()
    {
        var signing = Path.Combine(_dir, "sa.key");
        var extra = Path.Combine(_dir, "old.pub");
        using var a = TokenKey.GenerateECDsa();
        using var b = TokenKey.GenerateECDsa();
        using var old = TokenKey.GenerateECDsa();
        File.WriteAllText(signing, a.ExportPrivateKeyPem());
        File.WriteAllText(extra, old.ExportPublicKeyPem());

        var logs = new ConcurrentQueue<string>();
        var services = new ServiceCollection();
        services.AddLogging(l => l.AddProvider(new CapturingLoggerProvider(logs)));
        services.AddTokenAuthority(o =>
        {
            o.Issuer = TestAuthority.Issuer;
            o.SigningKeyFile = signing;
            o.VerificationKeyFiles.Add(extra);
        }).AddInMemoryBoundObjects();
        using var provider = services.BuildServiceProvider();
        var keys = provider.GetRequiredService<ITokenKeySetProvider>();
        var first = keys.Current;
        Assert.Equal(a.KeyId, first.SigningKey.KeyId);
        Assert.Same(first, keys.Current);

        // A new key is written the way a secret volume updates: a new file renamed over the old one.
        var changed = new TaskCompletionSource();
        using (keys.GetChangeToken().RegisterChangeCallback(_ => changed.TrySetResult(), null))
        {
            var temp = Path.Combine(_dir, ".sa.key.new");
            File.WriteAllText(temp, b.ExportPrivateKeyPem());
            File.Move(temp, signing, overwrite: true);
            await changed.Task.WaitAsync(EventTimeout);
        }

        var second = keys.Current;
        Assert.Equal(b.KeyId, second.SigningKey.KeyId);
        Assert.Equal([b.KeyId, old.KeyId], second.VerificationKeys.Select(k => k.KeyId));

        // A broken edit: logged, and the last good keys stay.
        File.WriteAllText(signing, "-----BEGIN PRIVATE KEY-----\ntruncated");
        var deadline = DateTime.UtcNow + EventTimeout;
        while (!logs.Any(l => l.Contains("cannot be used", StringComparison.Ordinal)) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50); // waits for a file-system event, not for a token's expiry
        }

        Assert.Contains(logs, l => l.Contains($"\"{signing}\" cannot be used", StringComparison.Ordinal));
        Assert.Same(second, keys.Current);
        Assert.DoesNotContain(logs, l => l.Contains("PRIVATE KEY", StringComparison.Ordinal));
    }

    private sealed class CapturingLoggerProvider(ConcurrentQueue<string> sink) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new Logger(sink);

        public void Dispose()
        {
        }

        private sealed class Logger(ConcurrentQueue<string> sink) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                sink.Enqueue(formatter(state, exception) + " " + exception?.Message);
        }
    }
}
