using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using TokenAuthority.Binding;
using TokenAuthority.Keys;
using TokenAuthority.Keys.Ring;
using TokenAuthority.PostgreSql.Diagnostics;
using TokenAuthority.PostgreSql.Storage;

namespace TokenAuthority.PostgreSql.Notifications;

/// <summary>
/// Listens on the schema's channel on a connection of its own and tells this replica's resolver cache of every change
/// another replica made. Notifications sent while it is not listening are lost (PostgreSQL delivers them only to
/// sessions listening at commit), so it drops every cached object when the connection is lost and again once it
/// listens anew; while it is not listening, the cache's TTL bounds what is served. Reconnects with a doubling backoff.
/// </summary>
internal sealed class PostgreSqlChangeListener : BackgroundService
{
    private readonly PostgreSqlDatabase _database;
    private readonly IBoundObjectCacheInvalidator _invalidator;
    private readonly IServiceProvider _services;
    private readonly PostgreSqlOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private volatile bool _listening;
    private long _connections;
    private DateTimeOffset? _lostAt;

    public PostgreSqlChangeListener(PostgreSqlDatabase database, IBoundObjectCacheInvalidator invalidator, IOptions<PostgreSqlOptions> options, TimeProvider time, ILogger<PostgreSqlChangeListener> logger, IServiceProvider services)
    {
        _services = services;
        _database = database;
        _invalidator = invalidator;
        _options = options.Value;
        _time = time;
        _logger = logger;
    }

    /// <summary>Whether the listener is listening now.</summary>
    public bool IsListening => _listening;

    /// <summary>How many times the listener started listening (1 after start, +1 per reconnection).</summary>
    public long Connections => Interlocked.Read(ref _connections);

    /// <summary>When the connection was lost, while it is; null when listening or not started.</summary>
    public DateTimeOffset? LostAt => _lostAt;

    /// <summary>The backend pid of the listening connection (tests terminate it).</summary>
    internal int? BackendProcessId { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var delay = _options.ReconnectDelay;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await _database.EnsureSchemaAsync(stoppingToken).ConfigureAwait(false);
                var builder = new NpgsqlConnectionStringBuilder(_database.ConnectionString) { Pooling = false, KeepAlive = 5 };
                await using var connection = new NpgsqlConnection(builder.ConnectionString);
                connection.Notification += OnNotification;
                await connection.OpenAsync(stoppingToken).ConfigureAwait(false);
                await using (var listen = new NpgsqlCommand($"LISTEN \"{_database.Channel}\";", connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken).ConfigureAwait(false);
                }

                BackendProcessId = connection.ProcessID;

                // Listening from here on: anything cached before (the previous gap, or a cache filled before start) may
                // have missed a notification. After a gap, pooled connections may be dead (a restarted server): drop them.
                if (_lostAt is not null)
                {
                    _database.DataSource.Clear();
                }

                _invalidator.InvalidateAll();
                _listening = true;
                _lostAt = null;
                Interlocked.Increment(ref _connections);
                _logger.Listening(_database.Channel);
                delay = _options.ReconnectDelay;
                while (true)
                {
                    await connection.WaitAsync(stoppingToken).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
#pragma warning disable CA1031 // Whatever broke the connection, the listener must drop the cache and try again.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                var wasListening = _listening;
                _listening = false;
                _lostAt ??= _time.GetUtcNow();
                _invalidator.InvalidateAll();
                if (wasListening || Connections == 0)
                {
                    _logger.ListenerLost(ex, _database.Channel, delay);
                }

                try
                {
                    // Real time: this waits for the network or the server, not for a token's expiry.
                    await Task.Delay(delay, stoppingToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }

                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, _options.MaxReconnectDelay.Ticks));
            }
        }

        _listening = false;
    }

    private void OnNotification(object sender, NpgsqlNotificationEventArgs e)
    {
        if (e.Payload == PostgreSqlChangeMessage.Ring)
        {
            _logger.RingChanged();
            // Another replica changed the ring: read it now rather than at the next refresh. Resolved lazily, since the
            // ring's provider reads through this package's store; a ring from elsewhere (key files) has nothing to read.
            if (_services.GetService<ITokenKeySetProvider>() is IKeyRing ring)
            {
                _ = ring.RefreshAsync();
            }
        }
        else if (PostgreSqlChangeMessage.TryParseObject(e.Payload, out var key))
        {
            _invalidator.Invalidate(key);
        }
        else
        {
            _logger.NotificationNotUnderstood(e.Channel);
            _invalidator.InvalidateAll();
        }
    }
}
