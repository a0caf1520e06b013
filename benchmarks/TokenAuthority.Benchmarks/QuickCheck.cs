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
            Compare(algorithm, "verify cold (ours)", () => verify.RawCold(), () => verify.OursCold().GetAwaiter().GetResult());
            Compare(algorithm, "verify cold (JsonWebTokenHandler)", () => verify.RawCold(), () => verify.JsonWebTokenHandlerCold().GetAwaiter().GetResult());
            Compare(algorithm, "verify warm (ours)", () => verify.RawCold(), () => verify.OursWarm().GetAwaiter().GetResult());
            verify.Cleanup();

            var issue = new IssueBenchmarks { Algorithm = algorithm };
            issue.Setup();
            Compare(algorithm, "issue (ours)", () => issue.RawSign(), () => issue.Ours().GetAwaiter().GetResult());
            Compare(algorithm, "issue (JsonWebTokenHandler)", () => issue.RawSign(), () => issue.JsonWebTokenHandlerCreate());
            issue.Cleanup();
        }
    }

    // Floor and candidate alternate in short rounds, and the ratio is the median of the rounds' ratios: on a shared
    // machine a neighbour's burst then slows both sides of one round instead of one side of the comparison.
    private static void Compare<TFloor, T>(string algorithm, string name, Func<TFloor> floor, Func<T> body)
    {
        Run(floor, 100);
        Run(body, 100);
        var ratios = new double[15];
        var micros = new double[15];
        double floorBytes = 0, bytes = 0;
        for (var r = 0; r < ratios.Length; r++)
        {
            var (f, fb) = Run(floor, 100);
            var (b, bb) = Run(body, 100);
            ratios[r] = b / f;
            micros[r] = b;
            (floorBytes, bytes) = (fb, bb);
        }

        Array.Sort(ratios);
        Array.Sort(micros);
        Console.WriteLine($"{algorithm} {name,-36} {micros[micros.Length / 2],9:F2} us {ratios[ratios.Length / 2],7:F3}x  {bytes,6:F0} B (floor {floorBytes:F0} B, +{bytes - floorBytes:F0})");
    }

    private static (double Micros, double Bytes) Run<T>(Func<T> body, int n)
    {
        var allocated = GC.GetAllocatedBytesForCurrentThread();
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < n; i++)
        {
            body();
        }

        var elapsed = watch.Elapsed.TotalMicroseconds / n;
        return (elapsed, (GC.GetAllocatedBytesForCurrentThread() - allocated) / (double)n);
    }
}
