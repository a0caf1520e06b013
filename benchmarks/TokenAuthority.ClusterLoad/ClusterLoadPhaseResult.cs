namespace TokenAuthority.ClusterLoad;

/// <summary>What one phase came to.</summary>
/// <param name="Name">The phase: <c>issue+verify</c>, <c>warm-up</c> or <c>warm-verify</c>.</param>
/// <param name="Elapsed">From the first request to the last answer.</param>
/// <param name="Operations">Per operation (<c>TokenRequest</c>, <c>TokenReview</c>): requests and latencies.</param>
/// <param name="Errors">
/// Requests that failed: no answer, an answer other than 2xx, or a wrong answer (which <paramref name="WrongAnswers"/>
/// counts again on its own).
/// </param>
/// <param name="WrongAnswers">
/// 2xx answers that say the wrong thing: a TokenRequest without a token, a TokenReview of a live pod's token that is not
/// authenticated, or authenticated as another user or pod.
/// </param>
/// <param name="ErrorSamples">The first few errors, described without tokens.</param>
internal sealed record ClusterLoadPhaseResult(
    string Name,
    TimeSpan Elapsed,
    IReadOnlyList<ClusterLoadOperationResult> Operations,
    int Errors,
    int WrongAnswers,
    IReadOnlyList<string> ErrorSamples)
{
    /// <summary>Every request of the phase.</summary>
    public int Requests => Operations.Sum(o => o.Requests);

    /// <summary>Requests per second over the phase.</summary>
    public double Throughput => Elapsed > TimeSpan.Zero ? Requests / Elapsed.TotalSeconds : 0;

    /// <summary>The TokenReview requests of the phase.</summary>
    public int Reviews => Operations.Where(o => o.Name == ClusterLoadRun.TokenReview).Sum(o => o.Requests);
}
