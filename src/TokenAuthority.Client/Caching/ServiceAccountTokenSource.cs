using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using TokenAuthority.Model;

namespace TokenAuthority.Client;

/// <summary>
/// The token source: tokens cached under the kubelet's key (namespace, name, audiences, expiration, bound object and the
/// service account's uid), refreshed ahead of need on <see cref="TimeProvider"/> timers by <see cref="TokenRefreshPolicy"/>,
/// one TokenRequest per key at a time, failed refreshes retried with capped exponential backoff while the cached token is valid.
/// </summary>
/// <remarks>
/// The uid part of the key is the latest uid the authority reported for the account (<c>metadata.uid</c> of any TokenRequest
/// answer for it). Once an answer reports a new uid, tokens cached under the old uid are no longer served: the next caller of
/// each key gets a new token. <see cref="Invalidate"/> forgets an account explicitly.
/// </remarks>
public sealed class ServiceAccountTokenSource : IServiceAccountTokenSource, IDisposable
{
    private readonly ITokenRequester _requester;
    private readonly TimeProvider _timeProvider;
    private readonly ServiceAccountTokenSourceOptions _options;
    private readonly ILogger _logger;
    private readonly Random _random;
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _uids = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _disposed = new();
    private readonly CancellationToken _stopping;

    /// <summary>Creates the source.</summary>
    /// <param name="requester">Where tokens come from.</param>
    /// <param name="options">Jitter and retry timings.</param>
    /// <param name="timeProvider">The clock and timers.</param>
    /// <param name="logger">The logger.</param>
    public ServiceAccountTokenSource(ITokenRequester requester, IOptions<ServiceAccountTokenSourceOptions> options, TimeProvider timeProvider, ILogger<ServiceAccountTokenSource>? logger = null)
        : this(requester, options, timeProvider, logger, Random.Shared)
    {
    }

    internal ServiceAccountTokenSource(ITokenRequester requester, IOptions<ServiceAccountTokenSourceOptions> options, TimeProvider timeProvider, ILogger? logger, Random random)
    {
        ArgumentNullException.ThrowIfNull(requester);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _requester = requester;
        _options = options.Value;
        _timeProvider = timeProvider;
        _logger = logger ?? NullLogger.Instance;
        _random = random;
        _stopping = _disposed.Token;
    }

    /// <inheritdoc/>
    public async ValueTask<ServiceAccountToken> GetTokenAsync(ServiceAccountTokenRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ObjectDisposedException.ThrowIf(_disposed.IsCancellationRequested, this);
        var entry = _entries.GetOrAdd(Key(request), static (_, r) => new Entry(r), request);
        if (Usable(entry.Current) is { } current)
        {
            if (entry.RefreshAt is { } at && _timeProvider.GetUtcNow() >= at && !entry.Retrying)
            {
                // A timer may not have fired yet (a suspended process, a clock jump): start the refresh, do not wait for it.
                RefreshInBackground(entry);
            }
            return current;
        }
        return await Refresh(entry, onlyIfUnusable: true).WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async ValueTask<ServiceAccountToken> RefreshTokenAsync(ServiceAccountTokenRequest request, string rejectedToken, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ObjectDisposedException.ThrowIf(_disposed.IsCancellationRequested, this);
        var entry = _entries.GetOrAdd(Key(request), static (_, r) => new Entry(r), request);
        if (Usable(entry.Current) is { } current && !string.Equals(current.Value, rejectedToken, StringComparison.Ordinal))
        {
            return current;
        }
        _logger.TokenRejectedByCallee(request.Namespace, request.Name);
        return await Refresh(entry, onlyIfUnusable: true, rejectedToken).WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public void Invalidate(string namespaceName, string name)
    {
        _uids.TryRemove(AccountKey(namespaceName, name), out _);
        foreach (var (key, entry) in _entries)
        {
            if (entry.Request.Namespace == namespaceName && entry.Request.Name == name && _entries.TryRemove(key, out _))
            {
                entry.Dispose();
            }
        }
    }

    /// <summary>Stops every background refresh; tokens already handed out stay valid.</summary>
    public void Dispose()
    {
        if (_disposed.IsCancellationRequested)
        {
            return;
        }
        _disposed.Cancel();
        foreach (var entry in _entries.Values)
        {
            entry.Dispose();
        }
        _entries.Clear();
        _disposed.Dispose();
    }

    /// <summary>The kubelet's cache key without the uid, which is checked against the latest known uid of the account.</summary>
    internal static string Key(ServiceAccountTokenRequest request)
    {
        var bound = request.BoundObjectRef is { } b ? $"{b.Kind}\0{b.ApiVersion}\0{b.Name}\0{b.Uid}" : string.Empty;
        return string.Join('\u0001', request.Namespace, request.Name, string.Join('\0', request.Audiences), request.ExpirationSeconds?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty, bound);
    }

    private static string AccountKey(string namespaceName, string name) => namespaceName + "\u0001" + name;

    private ServiceAccountToken? Usable(TokenState? state)
    {
        if (state is null)
        {
            return null;
        }
        var token = state.Token;
        if (token.ExpiresAt is { } expiresAt && _timeProvider.GetUtcNow() >= expiresAt)
        {
            return null;
        }
        // A token of an account whose uid has since changed belongs to the deleted account: a cache miss, as in the kubelet.
        if (_uids.TryGetValue(AccountKey(state.Namespace, state.Name), out var uid) && token.ServiceAccountUid is { } tokenUid && tokenUid != uid)
        {
            return null;
        }
        return token;
    }

    /// <summary>
    /// Joins or starts the key's one TokenRequest. With <paramref name="onlyIfUnusable"/>, a usable token other than
    /// <paramref name="rejectedToken"/> is returned instead: checked under the lock that ends a refresh, so a caller that
    /// arrives just after one finished does not start another.
    /// </summary>
    private Task<ServiceAccountToken> Refresh(Entry entry, bool onlyIfUnusable = false, string? rejectedToken = null)
    {
        lock (entry)
        {
            if (onlyIfUnusable && Usable(entry.Current) is { } current && !string.Equals(current.Value, rejectedToken, StringComparison.Ordinal))
            {
                return Task.FromResult(current);
            }
            return entry.InFlight ??= RunRefreshAsync(entry);
        }
    }

    private void RefreshInBackground(Entry entry)
    {
        if (_disposed.IsCancellationRequested)
        {
            return;
        }
        _ = Refresh(entry).ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    private async Task<ServiceAccountToken> RunRefreshAsync(Entry entry)
    {
        await Task.Yield();
        var request = entry.Request;
        var audiences = string.Join(",", request.Audiences);
        ServiceAccountToken token;
        try
        {
            var response = await _requester.RequestTokenAsync(request.Namespace, request.Name, request.ToSpec(), _stopping).ConfigureAwait(false);
            token = ToToken(response);
        }
        catch (Exception e) when (!_disposed.IsCancellationRequested)
        {
            var failure = e as TokenRequestException ?? new TokenRequestException(request.Namespace, request.Name, e.Message, e);
            // Done before the retry is scheduled, so that the retry starts a new TokenRequest rather than joining this one.
            EndRefresh(entry);
            if (Usable(entry.Current) is { } cached)
            {
                var delay = Backoff(++entry.Failures);
                if (cached.ExpiresAt is { } expiresAt && _timeProvider.GetUtcNow() + delay > expiresAt)
                {
                    delay = expiresAt - _timeProvider.GetUtcNow();
                }
                entry.Retrying = true;
                Schedule(entry, delay);
                _logger.RefreshFailedServingCached(failure, request.Namespace, request.Name, audiences, cached.ExpiresAt, delay);
            }
            else
            {
                entry.Retrying = false;
                _logger.RequestFailedNoToken(failure, request.Namespace, request.Name, audiences);
            }
            throw failure;
        }
        catch
        {
            EndRefresh(entry);
            throw;
        }

        if (token.ServiceAccountUid is { } uid)
        {
            var accountKey = AccountKey(request.Namespace, request.Name);
            var previous = _uids.GetValueOrDefault(accountKey);
            _uids[accountKey] = uid;
            if (previous is not null && previous != uid)
            {
                _logger.ServiceAccountUidChanged(request.Namespace, request.Name, uid, previous);
            }
        }
        var jitter = _options.MaxRefreshJitter * _random.NextDouble();
        var refreshAt = TokenRefreshPolicy.RefreshAt(token, jitter, _options.MaxTokenAge);
        entry.Current = new TokenState(request.Namespace, request.Name, token);
        entry.RefreshAt = refreshAt;
        entry.Failures = 0;
        entry.Retrying = false;
        EndRefresh(entry);
        if (refreshAt is { } at)
        {
            Schedule(entry, at - _timeProvider.GetUtcNow());
        }
        _logger.TokenObtained(request.Namespace, request.Name, audiences, token.ExpiresAt, refreshAt);
        return token;
    }

    private static void EndRefresh(Entry entry)
    {
        lock (entry)
        {
            entry.InFlight = null;
        }
    }

    private TimeSpan Backoff(int failures)
    {
        var delay = _options.RetryInitialDelay * Math.Pow(2, Math.Min(failures - 1, 30));
        return delay > _options.RetryMaxDelay ? _options.RetryMaxDelay : delay;
    }

    private void Schedule(Entry entry, TimeSpan dueTime)
    {
        if (_disposed.IsCancellationRequested)
        {
            return;
        }
        if (dueTime < TimeSpan.Zero)
        {
            dueTime = TimeSpan.Zero;
        }
        var timer = _timeProvider.CreateTimer(static state =>
        {
            var (source, e) = ((ServiceAccountTokenSource, Entry))state!;
            if (!e.IsDisposed)
            {
                source.RefreshInBackground(e);
            }
        }, (this, entry), dueTime, Timeout.InfiniteTimeSpan);
        entry.ReplaceTimer(timer);
    }

    private ServiceAccountToken ToToken(TokenRequest response)
    {
        var now = _timeProvider.GetUtcNow();
        var expiresAt = response.Status.ExpirationTimestamp;
        var issuedAt = expiresAt is { } exp && response.Spec.ExpirationSeconds is { } seconds && seconds > 0
            ? exp - TimeSpan.FromSeconds(seconds)
            : now;
        return new ServiceAccountToken(response.Status.Token, issuedAt > now ? now : issuedAt, expiresAt, response.Metadata.Uid);
    }

    private sealed record TokenState(string Namespace, string Name, ServiceAccountToken Token);

    private sealed class Entry(ServiceAccountTokenRequest request) : IDisposable
    {
        private ITimer? _timer;

        public ServiceAccountTokenRequest Request { get; } = request;

        private TokenState? _current;

        public TokenState? Current { get => Volatile.Read(ref _current); set => Volatile.Write(ref _current, value); }

        public DateTimeOffset? RefreshAt { get; set; }

        public int Failures { get; set; }

        public bool Retrying { get; set; }

        public Task<ServiceAccountToken>? InFlight { get; set; }

        public bool IsDisposed { get; private set; }

        public void ReplaceTimer(ITimer timer)
        {
            ITimer? old;
            lock (this)
            {
                if (IsDisposed)
                {
                    timer.Dispose();
                    return;
                }
                old = _timer;
                _timer = timer;
            }
            old?.Dispose();
        }

        public void Dispose()
        {
            lock (this)
            {
                IsDisposed = true;
                _timer?.Dispose();
                _timer = null;
            }
        }
    }
}
