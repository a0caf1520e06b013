using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using TokenAuthority.Keys;
using TokenAuthority.Keys.Ring;
using TokenAuthority.Tests.TestSupport;

namespace TokenAuthority.Tests.Keys.Ring;

/// <summary>The managed key directory: files on disk, crashes in the middle of a write, broken files, shared use.</summary>
public sealed class DirectoryKeyRingTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 7, 24, 12, 0, 0, TimeSpan.Zero);
    private readonly string _root = Directory.CreateTempSubdirectory("tokenauthority-ring-").FullName;

    private string Dir => Path.Combine(_root, "keys");

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static void Timeline(KeyRingOptions o)
    {
        o.JwksMaxAge = TimeSpan.FromHours(1);
        o.RefreshInterval = TimeSpan.FromMinutes(1);
        o.RotationInterval = TimeSpan.FromDays(1);
        o.Algorithm = "ES256";
    }

    private static void Lifetimes(TokenAuthorityOptions o)
    {
        o.MaxExpirationSeconds = 86400;
        o.ExtendExpiration = false;
    }

    private static RingAuthority Instance(FakeTimeProvider clock, IKeyRingStore store) =>
        new(clock, store, Timeline, Lifetimes);

    private RingAuthority Instance(FakeTimeProvider clock) =>
        new(clock, null, Timeline, Lifetimes, directory: Dir);

    [Theory]
    [InlineData("RS256")]
    [InlineData("ES256")]
    [InlineData("ES384")]
    [InlineData("ES512")]
    public void TheJwksNeverHoldsAPrivateParameterForGeneratedKeysOfEveryType(string algorithm)
    {
        var clock = new FakeTimeProvider(Start);
        using var authority = new RingAuthority(clock, null, o => { Timeline(o); o.Algorithm = algorithm; }, Lifetimes, directory: Dir);
        _ = authority.Rotate();
        clock.Advance(TimeSpan.FromHours(2));
        _ = authority.Rotate();

        var json = authority.Services.GetRequiredService<TokenAuthority.Discovery.IOpenIdMetadataProvider>().Current.KeySetJson;
        using var doc = JsonDocument.Parse(json);
        var keys = doc.RootElement.GetProperty("keys").EnumerateArray().ToArray();
        Assert.True(keys.Length >= 3, json);
        foreach (var key in keys)
        {
            Assert.Equal(algorithm, key.GetProperty("alg").GetString());
            var members = key.EnumerateObject().Select(p => p.Name).ToHashSet();
            Assert.Empty(members.Intersect(["d", "p", "q", "dp", "dq", "qi", "oth", "k"]));
        }
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void KeysAreWrittenOwnerOnlyAndTheRingNamesThem()
    {
        using var authority = Instance(new FakeTimeProvider(Start));
        var active = authority.Keys.Current.SigningKey.KeyId;
        Assert.True(File.Exists(Path.Combine(Dir, active + ".key")));
        foreach (var file in Directory.EnumerateFiles(Dir, "*.key"))
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        }

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Dir));
        Assert.Equal(2, Directory.EnumerateFiles(Dir, "*.key").Count());
        Assert.DoesNotContain("PRIVATE", File.ReadAllText(Path.Combine(Dir, "ring.json")), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("temp-half-written")]
    [InlineData("temp-written")]
    [InlineData("key-written")]
    [InlineData("ring-written")]
    [InlineData("deleting")]
    public void AProcessKilledInTheMiddleOfARotationLeavesARingThatLoadsWithNoKeyLost(string crashAt)
    {
        var clock = new FakeTimeProvider(Start);
        var tokens = new List<string>();
        var store = new DirectoryKeyRingStore(Dir, TimeSpan.FromSeconds(5));
        using (var first = Instance(clock, store))
        {
            _ = first.Issue(86400);
            clock.Advance(TimeSpan.FromHours(2));
            _ = first.Rotate();
            clock.Advance(TimeSpan.FromHours(23));
            tokens.Add(first.Issue(86400)); // the second key's, valid past the crash

            // From here every write dies at that step: the timer's (the third key activates, the first is due to go, a
            // successor is due) and the operator's rotation, which always has something to write.
            store.Step = step =>
            {
                if (step == crashAt)
                {
                    throw new KeyRingKeyFiles.SimulatedCrashException();
                }
            };
            clock.Advance(TimeSpan.FromHours(2));
            tokens.Add(first.Issue(3600)); // the third key's
            Assert.Throws<KeyRingKeyFiles.SimulatedCrashException>(() => first.Rotate());
        }

        using var restarted = Instance(clock);
        var current = restarted.Keys.Current;
        foreach (var token in tokens)
        {
            Assert.True(restarted.Verify(token).Succeeded, $"crash at {crashAt}: a token of key {RingAuthority.Peek(token).Kid} no longer verifies");
        }

        Assert.True(restarted.Verify(restarted.Issue(600)).Succeeded);
        Assert.Contains(current.SigningKey.KeyId, restarted.JwksKeyIds());
    }

    public static TheoryData<string, string> BrokenKeyFiles() => new()
    {
        { "corrupt", "-----BEGIN PRIVATE KEY-----\nnot base64 at all!\n-----END PRIVATE KEY-----\n" },
        { "truncated", TruncatedPem() },
        { "wrong type", "-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----\n" },
        { "too weak", WeakRsaPem() },
        { "public only", ECDsa.Create(ECCurve.NamedCurves.nistP256).ExportSubjectPublicKeyInfoPem() },
        { "empty", string.Empty },
    };

    [Theory]
    [MemberData(nameof(BrokenKeyFiles))]
    public void ABrokenKeyFileStopsStartUpWithOneMessageNamingTheFileAndTheRemedy(string what, string content)
    {
        using (var authority = Instance(new FakeTimeProvider(Start)))
        {
            _ = authority.Keys.Current;
        }

        var file = Directory.EnumerateFiles(Dir, "*.key").First();
        File.WriteAllText(file, content);

        var message = StartUpFailure();
        Assert.Contains(file, message, StringComparison.Ordinal);
        Assert.Contains("Restore the file from a backup", message, StringComparison.Ordinal);
        Assert.DoesNotContain("MII", message, StringComparison.Ordinal);
        _ = what;
    }

    [Fact]
    public void ACorruptRingFileStopsStartUpNamingIt()
    {
        using (var authority = Instance(new FakeTimeProvider(Start)))
        {
            _ = authority.Keys.Current;
        }

        var ring = Path.Combine(Dir, "ring.json");
        File.WriteAllText(ring, File.ReadAllText(ring)[..20]);
        var message = StartUpFailure();
        Assert.Contains(ring, message, StringComparison.Ordinal);
        Assert.Contains("Restore the file from a backup", message, StringComparison.Ordinal);
    }

    [Fact]
    public void AKeyDirectoryThatCannotBeReadStopsStartUpNamingIt()
    {
        // Tests run as root, whom permissions do not stop: a file where the directory should be cannot be read as one.
        File.WriteAllText(Dir, "not a directory");
        var message = StartUpFailure();
        Assert.Contains(Dir, message, StringComparison.Ordinal);
        Assert.Contains("is a file, not a directory", message, StringComparison.Ordinal);
    }

    [Fact]
    public void TwoInstancesOnOneDirectoryVerifyEachOthersTokensAcrossARotation()
    {
        var clockA = new FakeTimeProvider(Start);
        var clockB = new FakeTimeProvider(Start.AddSeconds(3)); // clocks differ by seconds
        using var a = Instance(clockA);
        using var b = Instance(clockB);
        Assert.Equal(a.Keys.Current.SigningKey.KeyId, b.Keys.Current.SigningKey.KeyId);

        var fromA = a.Issue(86400);
        var fromB = b.Issue(86400);
        Assert.True(a.Verify(fromB).Succeeded);
        Assert.True(b.Verify(fromA).Succeeded);

        // A rotates on demand; B sees it at its next refresh, and both verify everything issued before and after.
        clockA.Advance(TimeSpan.FromHours(2));
        clockB.Advance(TimeSpan.FromHours(2));
        var rotation = a.Rotate();
        Assert.True(rotation.Immediate, rotation.Message);
        b.Refresh();
        Assert.Equal(rotation.KeyId, a.Keys.Current.SigningKey.KeyId);
        Assert.Equal(rotation.KeyId, b.Keys.Current.SigningKey.KeyId);

        var afterA = a.Issue(3600);
        var afterB = b.Issue(3600);
        foreach (var token in new[] { fromA, fromB, afterA, afterB })
        {
            Assert.True(a.Verify(token).Succeeded);
            Assert.True(b.Verify(token).Succeeded);
        }

        Assert.True(a.JwksKeyIds().SetEquals(b.JwksKeyIds()));
    }

    [Fact]
    public void ASimultaneousStartCreatesOneRing()
    {
        for (var round = 0; round < 5; round++)
        {
            var dir = Path.Combine(_root, "race-" + round);
            var instances = Enumerable.Range(0, 4)
                .Select(_ => new RingAuthority(new FakeTimeProvider(Start), null, Timeline, Lifetimes, directory: dir))
                .ToArray();
            try
            {
                using var go = new Barrier(instances.Length);
                var active = instances.AsParallel().WithDegreeOfParallelism(instances.Length)
                    .Select(i => { go.SignalAndWait(); return i.Keys.Current.SigningKey.KeyId; })
                    .ToArray();

                Assert.Single(active.Distinct());
                Assert.Equal(2, Directory.EnumerateFiles(dir, "*.key").Count()); // the active key and its prepared successor
            }
            finally
            {
                foreach (var i in instances)
                {
                    i.Dispose();
                }
            }
        }
    }

    [Fact]
    public void AnExistingSingleKeyFileIsImportedAsTheActiveKeyAndItsTokensKeepVerifying()
    {
        var clock = new FakeTimeProvider(Start);
        var legacy = Path.Combine(_root, "sa.key");
        string token;
        using (var key = TokenKey.GenerateRsa())
        {
            File.WriteAllText(legacy, key.ExportPrivateKeyPem());
            using var old = new TestAuthority(o => { o.SigningKey = null; o.SigningKeyFile = legacy; }, start: Start);
            token = old.Create(new TokenAuthority.Model.TokenRequestSpec()).Response!.Status!.Token!;
        }

        using var ring = new RingAuthority(clock, null, o => { Timeline(o); o.ImportKeyFile = legacy; }, Lifetimes, directory: Dir);
        Assert.True(ring.Verify(token).Succeeded);
        Assert.Equal(RingAuthority.Peek(token).Kid, ring.Keys.Current.SigningKey.KeyId);
    }

    private string StartUpFailure()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<TimeProvider>(new FakeTimeProvider(Start));
        services.AddTokenAuthority(o => o.Issuer = TestAuthority.Issuer).AddInMemoryBoundObjects().AddManagedKeyDirectory(Dir, Timeline);
        using var provider = services.BuildServiceProvider();
        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());
        return Assert.Single(error.Failures);
    }

    private static string TruncatedPem()
    {
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var pem = ec.ExportPkcs8PrivateKeyPem();
        var lines = pem.Split('\n');
        return string.Join('\n', lines.Take(2).Append(lines[^2]));
    }

    private static string WeakRsaPem()
    {
        using var rsa = RSA.Create(1024);
        return rsa.ExportPkcs8PrivateKeyPem();
    }
}
