using FsCheck;
using FsCheck.Fluent;
using Microsoft.Extensions.Time.Testing;
using TokenAuthority.Keys.Ring;

namespace TokenAuthority.Tests.Keys.Ring;

/// <summary>
/// The oracle of docs/key-ring (shared/design/key-ring.md): a ring rotating on schedule and on demand under continuous
/// issuing, on a fake clock, with remote verifiers that each cache the JWKS for up to its max-age. Over random
/// schedules (interval, max-age, refresh, lifetimes): every token verifies from iat to exp (+ leeway) and never after
/// its key is removed; no remote verifier meets a live token whose kid it lacks; every token was signed by a key
/// published for the max-age (the ring's first key excepted); no key leaves while a token it signed is valid.
/// </summary>
public class KeyRingRotationProperties
{
    internal sealed record Schedule(int MaxAge, int Refresh, int Interval, long MaxExpiration, int Steps, int Seed)
    {
        public override string ToString() => $"maxAge={MaxAge}s refresh={Refresh}s interval={Interval}s maxExp={MaxExpiration}s steps={Steps} seed={Seed}";
    }

    internal static Gen<Schedule> Schedules() =>
        from maxAge in Gen.Choose(60, 7200)
        from refresh in Gen.Choose(1, Math.Max(1, maxAge / 2))
        from factor in Gen.Choose(2, 12)
        from maxExpFactor in Gen.Choose(1, 6)
        from steps in Gen.Choose(30, 80)
        from seed in Gen.Choose(0, int.MaxValue)
        let interval = (maxAge + refresh) * factor / 2 + 1
        select new Schedule(maxAge, refresh, interval, Math.Max(3600, (long)interval * maxExpFactor / 2), steps, seed);

    internal static int Tokens;
    internal static int Rotations;
    internal static int Removals;
    internal static int RemoteChecks;

    [Fact]
    public void RotationUnderContinuousIssuingKeepsEveryTokenVerifiableUntilItsExpAndNoLonger()
    {
        Tokens = Rotations = Removals = RemoteChecks = 0;
        Prop.ForAll(Schedules().ToArbitrary(), s => { Run(s); return true; })
            .Check(Config.QuickThrowOnFailure.WithMaxTest(30));

        // Not hollow: the runs rotated, removed keys and checked remote caches many times.
        Assert.True(Rotations > 30, $"rotations: {Rotations}");
        Assert.True(Removals > 10, $"removals: {Removals}");
        Assert.True(Tokens > 500, $"tokens: {Tokens}");
        Console.WriteLine($"key ring rotation property: 30 schedules, {Tokens} tokens, {Rotations} rotations, {Removals} key removals, {RemoteChecks} remote-cache checks");
    }

    private sealed record Issued(string Token, string Kid, long Iat, long Exp);

    private sealed class Remote
    {
        public DateTimeOffset FetchedAt { get; set; }

        public HashSet<string> Kids { get; set; } = [];
    }

    internal static void Run(Schedule s)
    {
        var random = new Random(s.Seed);
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 7, 24, 12, 0, 0, TimeSpan.Zero));
        using var store = new InMemoryKeyRingStore();
        using var authority = new RingAuthority(clock, store, o =>
        {
            o.JwksMaxAge = TimeSpan.FromSeconds(s.MaxAge);
            o.RefreshInterval = TimeSpan.FromSeconds(s.Refresh);
            o.RotationInterval = TimeSpan.FromSeconds(s.Interval);
            o.Algorithm = "ES256";
        }, o =>
        {
            o.MaxExpirationSeconds = s.MaxExpiration;
            o.ExtendExpiration = false;
        });

        var issued = new List<Issued>();
        var published = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        var removed = new Dictionary<string, long>(StringComparer.Ordinal);
        string? firstKid = null;
        var remotes = Enumerable.Range(0, 3).Select(_ => new Remote { FetchedAt = DateTimeOffset.MinValue }).ToArray();
        var signers = new HashSet<string>(StringComparer.Ordinal);

        for (var step = 0; step < s.Steps; step++)
        {
            var now = clock.GetUtcNow().ToUnixTimeSeconds();
            var keys = authority.Ring.GetKeys();
            foreach (var k in keys)
            {
                published.TryAdd(k.KeyId, k.Published);
            }

            firstKid ??= keys.Single(k => k.State == KeyRingKeyState.Active).KeyId;

            // Invariant 6: the JWKS is exactly the set that verifies, and the ring's keys.
            var jwks = authority.JwksKeyIds();
            Assert.True(jwks.SetEquals(authority.Keys.Current.VerificationKeys.Select(k => k.KeyId)), $"{s}: JWKS and verification keys differ");
            Assert.True(jwks.SetEquals(keys.Select(k => k.KeyId)), $"{s}: JWKS and ring view differ");

            foreach (var kid in published.Keys.Where(k => !jwks.Contains(k) && !removed.ContainsKey(k)).ToArray())
            {
                removed[kid] = now;
                Removals++;

                // Invariant 2: a key leaves only after every token it signed has expired, plus leeway.
                foreach (var t in issued.Where(t => t.Kid == kid))
                {
                    Assert.True(now >= t.Exp + 60, $"{s}: key {kid} removed at {now}, before a token it signed expired (exp {t.Exp})");
                }
            }

            // Issue a few tokens.
            for (var i = random.Next(0, 4); i > 0; i--)
            {
                var lifetime = random.Next(600, (int)Math.Min(s.MaxExpiration * 2, int.MaxValue / 2));
                var token = authority.Issue(lifetime);
                var (kid, iat, exp) = RingAuthority.Peek(token);
                issued.Add(new Issued(token, kid, iat, exp));
                Tokens++;
                if (signers.Add(kid) && signers.Count > 1)
                {
                    Rotations++;
                }

                // Invariant 1: publish before sign (the ring's first key had no verifier to wait for).
                Assert.True(kid == firstKid || iat >= published[kid].ToUnixTimeSeconds() + s.MaxAge, $"{s}: key {kid} signed at {iat}, published {published[kid]:u}, under the max-age");
                Assert.True(exp - iat <= s.MaxExpiration, $"{s}: a token outlives the cap");
            }

            // Remote verifiers: a cache is used for at most the max-age; some refresh earlier.
            foreach (var remote in remotes)
            {
                if ((clock.GetUtcNow() - remote.FetchedAt).TotalSeconds > s.MaxAge || random.Next(4) == 0)
                {
                    remote.FetchedAt = clock.GetUtcNow();
                    remote.Kids = authority.JwksKeyIds();
                }

                foreach (var t in issued.Where(t => t.Iat <= now && now <= t.Exp))
                {
                    RemoteChecks++;
                    Assert.True(remote.Kids.Contains(t.Kid), $"{s}: a verifier with a JWKS fetched at {remote.FetchedAt:u} meets a live token of key {t.Kid} (iat {t.Iat}) it does not have");
                }
            }

            // The local verifier: valid until exp + leeway, and never once the key is gone. Every token of a key just
            // removed, those near their expiry, and a sample of the rest (to keep the run to seconds).
            foreach (var t in issued.Where(t => removed.ContainsKey(t.Kid) || Math.Abs(now - t.Exp) < s.Interval || random.Next(issued.Count) < 10))
            {
                var ok = authority.Verify(t.Token).Succeeded;
                if (now <= t.Exp + 60)
                {
                    Assert.True(ok, $"{s}: token of key {t.Kid} (iat {t.Iat}, exp {t.Exp}) refused at {now}");
                }

                if (removed.ContainsKey(t.Kid) || now > t.Exp + 61)
                {
                    Assert.False(ok, $"{s}: token of key {t.Kid} (exp {t.Exp}) accepted at {now} after its expiry or its key's removal");
                }
            }

            issued.RemoveAll(t => removed.ContainsKey(t.Kid));

            // Time passes; sometimes an operator rotates.
            if (random.Next(10) == 0)
            {
                _ = authority.Rotate();
            }

            clock.Advance(TimeSpan.FromSeconds(random.Next(1, Math.Max(2, s.Interval / 3))));
            if (random.Next(3) != 0)
            {
                authority.Refresh();
            }
        }
    }
}
