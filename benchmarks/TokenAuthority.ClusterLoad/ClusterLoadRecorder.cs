using System.Diagnostics;

namespace TokenAuthority.ClusterLoad;

/// <summary>Collects one phase's latencies per operation, its errors and wrong answers, from many clients at once.</summary>
internal sealed class ClusterLoadRecorder(string phase)
{
    private const int MaxSamples = 5;
    private readonly Dictionary<string, List<double>> _latencies = new(StringComparer.Ordinal);
    private readonly List<string> _samples = [];
    private readonly Lock _lock = new();
    private readonly Stopwatch _elapsed = Stopwatch.StartNew();
    private int _errors;
    private int _wrongAnswers;

    public void Latency(string operation, TimeSpan latency)
    {
        lock (_lock)
        {
            if (!_latencies.TryGetValue(operation, out var list))
            {
                _latencies[operation] = list = [];
            }

            list.Add(latency.TotalMilliseconds);
        }
    }

    /// <summary>A request that got no answer or an answer other than 2xx.</summary>
    public void Error(string description)
    {
        Interlocked.Increment(ref _errors);
        Sample(description);
    }

    /// <summary>A 2xx answer that says the wrong thing (an error too).</summary>
    public void WrongAnswer(string description)
    {
        Interlocked.Increment(ref _wrongAnswers);
        Error("wrong answer: " + description);
    }

    public ClusterLoadPhaseResult Finish()
    {
        var elapsed = _elapsed.Elapsed;
        lock (_lock)
        {
            return new ClusterLoadPhaseResult(
                phase,
                elapsed,
                [.. _latencies.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => ClusterLoadOperationResult.From(p.Key, p.Value))],
                Volatile.Read(ref _errors),
                Volatile.Read(ref _wrongAnswers),
                [.. _samples]);
        }
    }

    private void Sample(string description)
    {
        lock (_lock)
        {
            if (_samples.Count < MaxSamples)
            {
                _samples.Add(description);
            }
        }
    }
}
