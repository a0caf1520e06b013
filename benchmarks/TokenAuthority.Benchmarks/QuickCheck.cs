using System.Diagnostics;

namespace TokenAuthority.Benchmarks;

/// <summary>
/// `--quick`: each benchmark's body in a plain loop on this thread, printing mean time and bytes allocated per call
/// beside its floor. Seconds, not minutes, for iterating on the hot paths; BenchmarkDotNet's numbers are the ones reported.
/// </summary>
public static class QuickCheck
{
    public static void Run()
    {
        foreach (var algorithm in new[] { "ES256", "RS256" })
        {
            var verify = new VerifyBenchmarks { Algorithm = algorithm };
            verify.Setup();
            var raw = Measure(() => verify.RawCold());
            Print(algorithm, "verify raw", raw, raw);
            Print(algorithm, "verify cold (ours)", Measure(() => verify.OursCold().GetAwaiter().GetResult()), raw);
            Print(algorithm, "verify cold (JsonWebTokenHandler)", Measure(() => verify.JsonWebTokenHandlerCold().GetAwaiter().GetResult()), raw);
            Print(algorithm, "verify warm (ours)", Measure(() => verify.OursWarm().GetAwaiter().GetResult()), raw);
            verify.Cleanup();

            var issue = new IssueBenchmarks { Algorithm = algorithm };
            issue.Setup();
            var sign = Measure(() => issue.RawSign());
            Print(algorithm, "issue raw", sign, sign);
            Print(algorithm, "issue (ours)", Measure(() => issue.Ours().GetAwaiter().GetResult()), sign);
            Print(algorithm, "issue (JsonWebTokenHandler)", Measure(() => issue.JsonWebTokenHandlerCreate()), sign);
            issue.Cleanup();
        }
    }

    private static (double Micros, double Bytes) Measure<T>(Func<T> body)
    {
        for (var i = 0; i < 200; i++)
        {
            body();
        }

        // The median of rounds: the machine is shared, and a slow round says more about the neighbours than about us.
        var rounds = new double[7];
        double bytes = 0;
        for (var r = 0; r < rounds.Length; r++)
        {
            const int n = 300;
            var allocated = GC.GetAllocatedBytesForCurrentThread();
            var watch = Stopwatch.StartNew();
            for (var i = 0; i < n; i++)
            {
                body();
            }

            rounds[r] = watch.Elapsed.TotalMicroseconds / n;
            bytes = (GC.GetAllocatedBytesForCurrentThread() - allocated) / (double)n;
        }

        Array.Sort(rounds);
        return (rounds[rounds.Length / 2], bytes);
    }

    private static void Print(string algorithm, string name, (double Micros, double Bytes) m, (double Micros, double Bytes) floor) =>
        Console.WriteLine($"{algorithm} {name,-36} {m.Micros,9:F2} us {m.Micros / floor.Micros,6:F3}x {m.Bytes,8:F0} B (+{m.Bytes - floor.Bytes:F0})");
}
