using System.Globalization;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Primitives;
using TokenAuthority.Diagnostics;

namespace TokenAuthority.Keys.Ring;

/// <summary>
/// Serves the key set of a key ring: the active key signs, and the prepared, active and retired keys verify and are
/// published (exactly the same set, invariant 6). A timer on the injected <see cref="TimeProvider"/> advances the
/// ring at each transition and re-reads the store every <see cref="KeyRingOptions.RefreshInterval"/>, so other
/// instances' rotations are seen; every change of <see cref="Current"/> fires the change token.
/// </summary>
internal sealed class KeyRingTokenKeySetProvider : ITokenKeySetProvider, IKeyRing, IDisposable
{
    private readonly IKeyRingStore _store;
    private readonly KeyRingOptions _options;
    private readonly KeyRingSchedule _schedule;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly TokenAuthorityMetrics? _metrics;

    // One writer at a time (load, advance, rotate); readers take the published view without it.
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Dictionary<string, TokenKey> _keys = new(StringComparer.Ordinal);
    private readonly List<TokenKey> _toDispose = [];
    private ITimer? _timer;
    private View? _view;
    private IReadOnlyList<KeyRingKey> _logged = [];
    private CancellationTokenSource _changed = new();
    private bool _disposed;
    private long _lastReadTicks;
    private string? _refreshFailure;

    public KeyRingTokenKeySetProvider(IKeyRingStore store, KeyRingOptions options, TokenAuthorityOptions authority, TimeProvider time, ILogger logger, TokenAuthorityMetrics? metrics = null)
    {
        _metrics = metrics;
        _store = store;
        _options = options;
        _schedule = KeyRingSchedule.From(options, authority);
        _time = time;
        _logger = logger;
        if (authority.MaxExpirationSeconds == 0)
        {
            logger.NoLifetimeCap();
        }
    }

    public TokenKeySet Current
    {
        get
        {
            var view = Volatile.Read(ref _view) ?? Initialize();
            var now = Now();
            return now < view.ValidUntil ? view.Set : Rebuild(view.Records, view.KeyObjects, now, writer: false).Set;
        }
    }

    public IChangeToken GetChangeToken() => new CancellationChangeToken(Volatile.Read(ref _changed).Token);

    public IReadOnlyList<KeyRingKey> GetKeys()
    {
        var view = Volatile.Read(ref _view) ?? Initialize();
        return KeyRingTimeline.Keys(view.Records, Now(), _schedule);
    }

    /// <summary>
    /// What the health check needs: the keys now (throws when the ring cannot be loaded), when the store was last read
    /// with success, and why the last refresh failed (null when it did not).
    /// </summary>
    internal KeyRingStatus GetStatus()
    {
        var keys = GetKeys();
        return new KeyRingStatus(keys, Now(), Volatile.Read(ref _lastReadTicks) is var ticks and not 0 ? new DateTimeOffset(ticks, TimeSpan.Zero) : null,
            Volatile.Read(ref _refreshFailure), _options.RefreshInterval, _schedule.PublishLead, _store.Description);
    }

    public async Task<KeyRingRotation> RotateNowAsync(CancellationToken cancellationToken = default)
    {
        var rotation = await ChangeAsync((records, now, created) =>
        {
            // A ring with no successor yet gets one first; a fresh one must still wait for the max-age.
            var planned = KeyRingTimeline.Plan(records, now, _schedule, NewKey, created);
            var (rotated, outcome) = KeyRingTimeline.RotateNow(planned, now, _schedule)
                ?? throw new InvalidOperationException("the key ring has no prepared successor to activate");
            return (rotated, outcome);
        }, cancellationToken).ConfigureAwait(false);
        _logger.RotationRequested(_store.Description, rotation!.Message);
        return rotation;
    }

    public async Task<KeyRingRevocation?> RevokeAsync(string keyId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(keyId);
        var revocation = await ChangeAsync(
            (records, now, created) => KeyRingTimeline.Revoke(records, keyId, now, _schedule, NewKey, created) is var (revoked, outcome) ? (revoked, outcome) : (null, null),
            cancellationToken).ConfigureAwait(false);
        if (revocation is not null)
        {
            _logger.RevocationRequested(_store.Description, revocation.Message);
        }

        return revocation;
    }

    /// <summary>
    /// An operator's change, under this instance's gate and the store's lock: reads the ring, applies
    /// <paramref name="change"/> (no records: nothing to do), prepares the next successor, saves what changed and adopts it.
    /// </summary>
    private async Task<T?> ChangeAsync<T>(
        Func<IReadOnlyList<KeyRingRecord>, DateTimeOffset, List<TokenKey>, (IReadOnlyList<KeyRingRecord>? Records, T? Outcome)> change, CancellationToken cancellationToken)
        where T : class
    {
        _ = Volatile.Read(ref _view) ?? Initialize();
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            await using (await _store.LockAsync(cancellationToken).ConfigureAwait(false))
            {
                var now = Now();
                var records = await LoadRecordsAsync(cancellationToken).ConfigureAwait(false);
                var created = new List<TokenKey>();
                try
                {
                    var (changed, outcome) = change(records, now, created);
                    if (changed is null)
                    {
                        return null;
                    }

                    var final = KeyRingTimeline.Plan(changed, now, _schedule, NewKey, created);
                    if (!ReferenceEquals(final, records))
                    {
                        await _store.SaveAsync(final, created, cancellationToken).ConfigureAwait(false);
                    }

                    Adopt(created);
                    created.Clear();
                    await ApplyAsync(final, now, cancellationToken).ConfigureAwait(false);
                    return outcome;
                }
                finally
                {
                    DisposeAll(created);
                }
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose()
    {
        _gate.Wait();
        try
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _timer?.Dispose();
            Volatile.Write(ref _view, null);
            DisposeAll(_keys.Values);
            _keys.Clear();
            DisposeAll(_toDispose);
            _toDispose.Clear();
            _changed.Dispose();
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Loads (or creates) the ring at the first use; a failure is thrown to that caller and the next use tries again.</summary>
    private View Initialize()
    {
        _gate.Wait();
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (Volatile.Read(ref _view) is { } loaded)
            {
                return loaded;
            }

            AdvanceAsync(CancellationToken.None).GetAwaiter().GetResult();
            _timer = _time.CreateTimer(static s => ((KeyRingTokenKeySetProvider)s!).OnTimer(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            ScheduleTimer();
            return Volatile.Read(ref _view)!;
        }
        finally
        {
            _gate.Release();
        }
    }

    private void OnTimer() => _ = RefreshAsync();

    /// <summary>What the timer does: re-reads the store, makes any change that is due, publishes the result. Never throws for a store failure.</summary>
    public async Task RefreshAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_disposed)
            {
                return;
            }

            // Keys removed at the previous refresh: any operation that still held them has long finished.
            DisposeAll(_toDispose);
            _toDispose.Clear();
            await AdvanceAsync(CancellationToken.None).ConfigureAwait(false);
            Volatile.Write(ref _refreshFailure, null);
        }
        catch (Exception ex) when (ex is InvalidOperationException or IOException or UnauthorizedAccessException or TimeoutException or CryptographicException)
        {
            // The type only: a store's message may name paths, never secrets, but the health check's text is served.
            Volatile.Write(ref _refreshFailure, ex.GetType().Name);
            _logger.RefreshFailed(ex, _store.Description);
        }
        finally
        {
            if (!_disposed)
            {
                ScheduleTimer();
            }

            _gate.Release();
        }
    }

    private void ScheduleTimer()
    {
        var now = Now();
        var due = _options.RefreshInterval;
        if (Volatile.Read(ref _view) is { } view && KeyRingTimeline.NextTransition(view.Records, now, _schedule) is { } next && next - now < due)
        {
            due = next - now;
        }

        _timer?.Change(due < TimeSpan.Zero ? TimeSpan.Zero : due, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Re-reads the store and, when the ring needs a change (a first key, a successor, a removal), makes it under the store's lock.</summary>
    private async Task AdvanceAsync(CancellationToken ct)
    {
        var now = Now();
        var records = await LoadRecordsAsync(ct).ConfigureAwait(false);
        // Planning without the lock only asks whether anything would change: no key is generated for that.
        var probe = new List<TokenKey>();
        if (!ReferenceEquals(KeyRingTimeline.Plan(records, now, _schedule, _ => PlaceholderKey.Value, probe), records))
        {
            await using (await _store.LockAsync(ct).ConfigureAwait(false))
            {
                // Another instance may have made the change while this one waited: plan again on what is stored now.
                records = await LoadRecordsAsync(ct).ConfigureAwait(false);
                var created = new List<TokenKey>();
                try
                {
                    var planned = KeyRingTimeline.Plan(records, now, _schedule, NewKey, created);
                    if (!ReferenceEquals(planned, records))
                    {
                        await _store.SaveAsync(planned, created, ct).ConfigureAwait(false);
                        foreach (var key in created)
                        {
                            var record = planned.First(r => r.KeyId == key.KeyId);
                            _logger.KeyGenerated(_store.Description, key.KeyId, key.Algorithm, record.Activates);
                        }

                        records = planned;
                    }

                    Adopt(created);
                    created.Clear();
                }
                finally
                {
                    DisposeAll(created);
                }
            }
        }

        await ApplyAsync(records, now, ct).ConfigureAwait(false);
    }

    private async Task<IReadOnlyList<KeyRingRecord>> LoadRecordsAsync(CancellationToken ct) =>
        KeyRingTimeline.Ordered(await _store.LoadRecordsAsync(ct).ConfigureAwait(false) ?? []);

    /// <summary>Loads the keys the records name that are not loaded yet, lets go of the ones they no longer name, and publishes the view.</summary>
    private async Task ApplyAsync(IReadOnlyList<KeyRingRecord> records, DateTimeOffset now, CancellationToken ct)
    {
        var loaded = new List<TokenKey>();
        try
        {
            foreach (var record in records)
            {
                if (!_keys.ContainsKey(record.KeyId))
                {
                    var key = await _store.LoadKeyAsync(record, ct).ConfigureAwait(false);
                    loaded.Add(key);
                    if (!string.Equals(key.KeyId, record.KeyId, StringComparison.Ordinal) || !key.HasPrivateKey)
                    {
                        throw new InvalidOperationException($"Key ring {_store.Description}: the stored key for {record.KeyId} is not that key's private key; restore the key from a backup.");
                    }
                }
            }
        }
        catch
        {
            DisposeAll(loaded);
            throw;
        }

        Adopt(loaded);
        foreach (var kid in _keys.Keys.Where(k => !records.Any(r => r.KeyId == k)).ToArray())
        {
            var gone = _keys[kid];
            _keys.Remove(kid);
            _toDispose.Add(gone);
            _logger.KeyRemoved(_store.Description, kid, gone.Algorithm);
        }

        var view = Rebuild(records, new Dictionary<string, TokenKey>(_keys, StringComparer.Ordinal), now, writer: true);
        LogTransitions(view);
        Volatile.Write(ref _lastReadTicks, now.UtcTicks);
    }

    private void Adopt(IEnumerable<TokenKey> keys)
    {
        foreach (var key in keys)
        {
            _keys.TryAdd(key.KeyId, key);
        }
    }

    /// <summary>
    /// Builds the view for <paramref name="now"/>, reusing the key set when its keys are unchanged. The writer (holding
    /// the gate, with new records) always publishes; a reader that only crossed a transition publishes unless someone
    /// else did first, and then uses theirs, so everyone sees one key set instance.
    /// </summary>
    private View Rebuild(IReadOnlyList<KeyRingRecord> records, IReadOnlyDictionary<string, TokenKey> objects, DateTimeOffset now, bool writer)
    {
        var keys = KeyRingTimeline.Keys(records, now, _schedule);
        var until = KeyRingTimeline.NextTransition(records, now, _schedule) ?? DateTimeOffset.MaxValue;
        var previous = Volatile.Read(ref _view);
        var signing = keys.First(k => k.State == KeyRingKeyState.Active);
        var verifying = keys.Where(k => k.State != KeyRingKeyState.Active).Select(k => k.KeyId).ToArray();
        var set = previous is not null && previous.Set.SigningKey.KeyId == signing.KeyId && previous.Verifying.SequenceEqual(verifying, StringComparer.Ordinal)
            ? previous.Set
            : new TokenKeySet(objects[signing.KeyId], verifying.Select(kid => objects[kid]));

        var view = new View(records, objects, keys, set, verifying, until);
        if (writer)
        {
            Volatile.Write(ref _view, view);
        }
        else if (Interlocked.CompareExchange(ref _view, view, previous) is var raced && !ReferenceEquals(raced, previous))
        {
            return raced ?? view;
        }

        if (previous is not null && !ReferenceEquals(previous.Set, set))
        {
            if (!string.Equals(previous.Set.SigningKey.KeyId, set.SigningKey.KeyId, StringComparison.Ordinal))
            {
                _metrics?.KeyRotated();
            }

            var old = Interlocked.Exchange(ref _changed, new CancellationTokenSource());
            old.Cancel();
            old.Dispose();
        }

        return view;
    }

    // Against what was last logged, not the previous view: a reader may have crossed the transition (and rebuilt) first.
    private void LogTransitions(View view)
    {
        var logged = _logged;
        _logged = view.Keys;
        foreach (var key in view.Keys)
        {
            var before = logged.FirstOrDefault(k => k.KeyId == key.KeyId);
            if (before is null || before.State != key.State || before.Activates != key.Activates || before.Retires != key.Retires)
            {
                _logger.KeyStateChanged(_store.Description, key.KeyId, key.Algorithm, key.State, key.Published, key.Activates,
                    key.Retires?.ToString("u", CultureInfo.InvariantCulture) ?? "when its successor activates",
                    key.RemoveAfter?.ToString("u", CultureInfo.InvariantCulture) ?? "its retirement and its tokens' expiry");
            }
        }
    }

    private TokenKey NewKey(bool first)
    {
        if (first && _options.ImportKeyFile is { } file && File.Exists(file))
        {
            var imported = KeyRingKeyFiles.ReadPrivateKey(file, "TokenAuthority:Keys:ImportKeyFile");
            _logger.KeyImported(_store.Description, imported.KeyId, imported.Algorithm, file);
            return imported;
        }

        return Generate(_options.Algorithm);
    }

    internal static TokenKey Generate(string algorithm) => algorithm switch
    {
        "RS256" => TokenKey.GenerateRsa(2048),
        "ES256" => TokenKey.GenerateECDsa(),
        "ES384" => TokenKey.FromECDsa(ECDsa.Create(ECCurve.NamedCurves.nistP384)),
        "ES512" => TokenKey.FromECDsa(ECDsa.Create(ECCurve.NamedCurves.nistP521)),
        _ => throw new InvalidOperationException($"TokenAuthority:Keys:Algorithm \"{algorithm}\" is not supported; use RS256, ES256, ES384 or ES512."),
    };


    private DateTimeOffset Now() => KeyRingTimeline.Truncate(_time.GetUtcNow());

    private static void DisposeAll(IEnumerable<TokenKey> keys)
    {
        foreach (var key in keys)
        {
            key.Dispose();
        }
    }

    private static readonly Lazy<TokenKey> PlaceholderKey = new(TokenKey.GenerateECDsa);

    private sealed record View(
        IReadOnlyList<KeyRingRecord> Records,
        IReadOnlyDictionary<string, TokenKey> KeyObjects,
        IReadOnlyList<KeyRingKey> Keys,
        TokenKeySet Set,
        string[] Verifying,
        DateTimeOffset ValidUntil);
}
