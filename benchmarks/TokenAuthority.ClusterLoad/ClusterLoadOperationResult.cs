namespace TokenAuthority.ClusterLoad;

/// <summary>One operation's requests in a phase and their latencies (every attempt, answered or not), in milliseconds.</summary>
internal sealed record ClusterLoadOperationResult(string Name, int Requests, double P50Milliseconds, double P99Milliseconds, double MaxMilliseconds)
{
    /// <summary>The summary of <paramref name="latencies"/> (milliseconds, any order; sorted here).</summary>
    public static ClusterLoadOperationResult From(string name, List<double> latencies)
    {
        latencies.Sort();
        return new ClusterLoadOperationResult(name, latencies.Count, Percentile(latencies, 0.50), Percentile(latencies, 0.99), latencies.Count == 0 ? 0 : latencies[^1]);
    }

    // Nearest rank: the smallest latency at least the fraction of all requests took no longer than.
    private static double Percentile(List<double> sorted, double fraction) =>
        sorted.Count == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(fraction * sorted.Count) - 1, 0, sorted.Count - 1)];
}
