using System.Net;
using System.Net.Sockets;

namespace TokenAuthority.Samples.Tests.TestSupport;

/// <summary>Picks a loopback port that is free right now.</summary>
internal static class FreePort
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
