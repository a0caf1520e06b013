namespace TokenAuthority.Samples.Cluster.LoadBalancer.Hosting;

/// <summary><c>--help</c>: the usage text, printed before anything starts.</summary>
internal static class LoadBalancerUsage
{
    /// <summary>The usage text, one setting per line with its default.</summary>
    public const string Text = """
        Usage: dotnet run --project samples/cluster/LoadBalancer -- [settings]

        A YARP load balancer in front of Authority replicas that share one PostgreSQL database (samples/cluster/run.sh starts it).

        Settings (default):
          --urls URL                        where to listen, https only; the replicas' issuer should be this URL (https://127.0.0.1:9443)
          --Backends:0 URL                  a replica, e.g. https://127.0.0.1:8444; :1, :2 … for more (required)
          --Tls:CertificateFile FILE        the replicas' shared tls.crt: served here, and the only certificate trusted on the way to a replica (required)
          --Tls:KeyFile FILE                its key, tls.key (required)
          --HealthCheckInterval TIME        how often each replica's /readyz is probed (00:00:01)
          --help, -h                        print this text and exit

        More: docs/cluster.md.
        """;

    /// <summary>Whether any argument asks for help.</summary>
    public static bool IsRequested(IEnumerable<string> args) => args.Any(a => a is "--help" or "-h" or "-?");
}
