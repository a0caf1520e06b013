namespace TokenAuthority.Samples.Worker;

/// <summary>What the worker calls and how often (section <c>Worker</c>).</summary>
internal sealed class WorkerOptions
{
    public const string SectionName = "Worker";

    /// <summary>OrdersApi's base URL.</summary>
    public Uri OrdersUrl { get; set; } = new("http://127.0.0.1:5080");

    /// <summary>The audience OrdersApi accepts.</summary>
    public string Audience { get; set; } = "orders";

    /// <summary>Time between calls.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The requested token lifetime (the authority's shortest is 600 s).</summary>
    public long ExpirationSeconds { get; set; } = 600;
}
