using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace TokenAuthority.ClusterLoad;

/// <summary>A run's phases, printable as a table for people and as TSV rows or one JSON line for scripts.</summary>
/// <param name="Clients">Concurrent clients.</param>
/// <param name="Pods">Pods the tokens were bound to.</param>
/// <param name="Http">The HTTP version and connections used.</param>
/// <param name="Phases">The phases in the order they ran.</param>
internal sealed record ClusterLoadResult(int Clients, int Pods, string Http, IReadOnlyList<ClusterLoadPhaseResult> Phases)
{
    /// <summary>The TSV columns of <see cref="ToTsvRows"/>: one row per phase and operation.</summary>
    public const string TsvHeader = "phase\toperation\tclients\tseconds\trequests\tper_second\tp50_ms\tp99_ms\tmax_ms\terrors\twrong_answers";

    /// <summary>Every phase's errors (wrong answers included).</summary>
    public int Errors => Phases.Sum(p => p.Errors);

    /// <summary>Every phase's wrong answers.</summary>
    public int WrongAnswers => Phases.Sum(p => p.WrongAnswers);

    /// <summary>One row per phase and operation (errors and wrong answers are the phase's, on each of its rows).</summary>
    public IEnumerable<string> ToTsvRows() =>
        from phase in Phases
        from operation in phase.Operations
        select string.Join('\t',
            phase.Name, operation.Name, Clients.ToString(CultureInfo.InvariantCulture), F(phase.Elapsed.TotalSeconds), operation.Requests.ToString(CultureInfo.InvariantCulture),
            F(operation.Requests / Math.Max(phase.Elapsed.TotalSeconds, 1e-9)), F(operation.P50Milliseconds), F(operation.P99Milliseconds), F(operation.MaxMilliseconds),
            phase.Errors.ToString(CultureInfo.InvariantCulture), phase.WrongAnswers.ToString(CultureInfo.InvariantCulture));

    /// <summary>The whole result as one line of JSON.</summary>
    public string ToJson() => new JsonObject
    {
        ["clients"] = Clients,
        ["pods"] = Pods,
        ["http"] = Http,
        ["errors"] = Errors,
        ["wrongAnswers"] = WrongAnswers,
        ["phases"] = new JsonArray([.. Phases.Select(p => (JsonNode)new JsonObject
        {
            ["name"] = p.Name,
            ["seconds"] = Math.Round(p.Elapsed.TotalSeconds, 3),
            ["requests"] = p.Requests,
            ["perSecond"] = Math.Round(p.Throughput, 1),
            ["errors"] = p.Errors,
            ["wrongAnswers"] = p.WrongAnswers,
            ["operations"] = new JsonArray([.. p.Operations.Select(o => (JsonNode)new JsonObject
            {
                ["name"] = o.Name,
                ["requests"] = o.Requests,
                ["perSecond"] = Math.Round(o.Requests / Math.Max(p.Elapsed.TotalSeconds, 1e-9), 1),
                ["p50Ms"] = Math.Round(o.P50Milliseconds, 2),
                ["p99Ms"] = Math.Round(o.P99Milliseconds, 2),
                ["maxMs"] = Math.Round(o.MaxMilliseconds, 2),
            })]),
            ["errorSamples"] = new JsonArray([.. p.ErrorSamples.Select(s => (JsonNode)JsonValue.Create(s))]),
        })]),
    }.ToJsonString();

    /// <summary>A table for people, with the first errors of each phase below it.</summary>
    public string ToTable()
    {
        var table = new StringBuilder();
        table.AppendLine(CultureInfo.InvariantCulture, $"{Clients} clients, {Pods} pods, {Http}");
        table.AppendLine(CultureInfo.InvariantCulture, $"{"phase",-13} {"operation",-13} {"seconds",8} {"requests",9} {"per s",9} {"p50 ms",8} {"p99 ms",8} {"max ms",8} {"errors",7} {"wrong",6}");
        foreach (var phase in Phases)
        {
            foreach (var o in phase.Operations)
            {
                table.AppendLine(CultureInfo.InvariantCulture,
                    $"{phase.Name,-13} {o.Name,-13} {phase.Elapsed.TotalSeconds,8:F1} {o.Requests,9} {o.Requests / Math.Max(phase.Elapsed.TotalSeconds, 1e-9),9:F1} {o.P50Milliseconds,8:F2} {o.P99Milliseconds,8:F2} {o.MaxMilliseconds,8:F2} {phase.Errors,7} {phase.WrongAnswers,6}");
            }
        }

        foreach (var phase in Phases.Where(p => p.ErrorSamples.Count > 0))
        {
            table.AppendLine(CultureInfo.InvariantCulture, $"first errors of {phase.Name}:");
            foreach (var sample in phase.ErrorSamples)
            {
                table.Append("  ").AppendLine(sample);
            }
        }

        return table.ToString();
    }

    private static string F(double value) => value.ToString("F2", CultureInfo.InvariantCulture);
}
