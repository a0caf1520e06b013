using TokenAuthority.Samples.Cluster.LoadBalancer.Hosting;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Health;
using Yarp.ReverseProxy.LoadBalancing;

namespace TokenAuthority.Samples.Cluster.LoadBalancer.Balancing;

/// <summary>
/// One route (every path) to one cluster of replicas: round robin; each replica's <c>/readyz</c> probed, so a replica
/// whose database is gone or which is shutting down leaves the rotation; transport failures take it out at once.
/// </summary>
internal static class ReplicaProxyConfig
{
    private const string ClusterId = "authority";

    /// <summary>Every path, as it came, to the replicas.</summary>
    public static RouteConfig Route { get; } = new()
    {
        RouteId = "all",
        ClusterId = ClusterId,
        Match = new RouteMatch { Path = "{**path}" },
    };

    /// <summary>The replicas of <paramref name="settings"/> with health checks and timeouts.</summary>
    public static ClusterConfig Cluster(LoadBalancerSettings settings) => new()
    {
        ClusterId = ClusterId,
        LoadBalancingPolicy = LoadBalancingPolicies.RoundRobin,
        Destinations = settings.Backends
            .Select((backend, i) => (Id: $"replica-{i}", Config: new DestinationConfig { Address = backend.ToString() }))
            .ToDictionary(d => d.Id, d => d.Config),
        HealthCheck = new HealthCheckConfig
        {
            // When every replica is unready (the database is down), send to all of them rather than to none: they refuse
            // what they cannot verify with a precise answer and still serve discovery and JWKS from memory.
            AvailableDestinationsPolicy = HealthCheckConstants.AvailableDestinations.HealthyOrPanic,
            Active = new ActiveHealthCheckConfig
            {
                Enabled = true,
                Interval = settings.HealthCheckInterval,
                Timeout = settings.HealthCheckInterval,
                Policy = HealthCheckConstants.ActivePolicy.ConsecutiveFailures,
                Path = "/readyz",
            },
            Passive = new PassiveHealthCheckConfig
            {
                Enabled = true,
                Policy = HealthCheckConstants.PassivePolicy.TransportFailureRate,
                ReactivationPeriod = settings.HealthCheckInterval * 5,
            },
        },
        Metadata = new Dictionary<string, string>
        {
            // Out after one failed probe and back after one good one: the replicas are on the same machine.
            ["ConsecutiveFailuresHealthPolicy.Threshold"] = "1",
        },
        HttpRequest = new ForwarderRequestConfig { ActivityTimeout = TimeSpan.FromSeconds(30) },
    };
}
