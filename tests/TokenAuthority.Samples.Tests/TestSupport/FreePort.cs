using System.Net;
using System.Net.Sockets;

namespace TokenAuthority.Samples.Tests.TestSupport;

/// <summary>
/// Picks a loopback port that is free right now, for a sample that must be told its port before it starts (the
/// Authority names it in its issuer, so it cannot listen on port 0). The port is released before the sample binds
/// it, so it is taken from below the kernel's ephemeral range: the outgoing connections of tests running in
/// parallel (and every <c>bind(0)</c>) draw from that range and could otherwise take it in between. A port is
/// never handed out twice in one test run.
/// </summary>
internal static class FreePort
{
    private const int Lowest = 10_000;

    private static readonly HashSet<int> HandedOut = [];

    public static int Next()
    {
        var highest = EphemeralRangeStart() - 1;
        lock (HandedOut)
        {
            for (var attempt = 0; attempt < 200 && highest > Lowest; attempt++)
            {
                var port = Random.Shared.Next(Lowest, highest + 1);
                if (!HandedOut.Contains(port) && CanListen(port))
                {
                    HandedOut.Add(port);
                    return port;
                }
            }

            // No room below the ephemeral range (an unusual kernel setting): let the kernel choose.
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var chosen = ((IPEndPoint)listener.LocalEndpoint).Port;
            HandedOut.Add(chosen);
            return chosen;
        }
    }

    private static bool CanListen(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>The first port of the kernel's ephemeral range (Linux: <c>ip_local_port_range</c>; elsewhere the IANA 49152).</summary>
    private static int EphemeralRangeStart()
    {
        try
        {
            var range = File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split((char[])['\t', ' '], StringSplitOptions.RemoveEmptyEntries);
            return int.Parse(range[0], System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return 49_152;
        }
    }
}
