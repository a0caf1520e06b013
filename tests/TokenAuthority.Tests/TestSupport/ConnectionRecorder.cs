using System.Net;
using System.Net.Sockets;

namespace TokenAuthority.Tests.TestSupport;

/// <summary>
/// A TCP listener on a free loopback port that only counts the connections made to it: a URL pointing here
/// (a token's <c>jku</c> or <c>x5u</c>) shows whether anything tried to fetch it, whatever the protocol.
/// </summary>
public sealed class ConnectionRecorder : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private int _connections;

    public ConnectionRecorder()
    {
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _accepting = Task.Run(AcceptAsync);
    }

    public int Port { get; }

    /// <summary>An http URL on the recorder, e.g. <c>http://127.0.0.1:PORT/jwks</c>.</summary>
    public string Url(string path) => $"http://127.0.0.1:{Port}{path}";

    /// <summary>How many connections were accepted so far.</summary>
    public int Connections => Volatile.Read(ref _connections);

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        try
        {
            _accepting.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // The accept loop ends with the listener; how it ends does not matter here.
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                using var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                Interlocked.Increment(ref _connections);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
        }
    }
}
