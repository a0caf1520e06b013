using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;

// `--short`: three warm-up and three measured iterations per benchmark (a few minutes on 2 cores); any other
// argument goes to BenchmarkDotNet. `--quick`: a plain loop per benchmark body (seconds; see QuickCheck) (`--filter *Verify*`, `--list flat`, ...).
if (args.Contains("--quick"))
{
    TokenAuthority.Benchmarks.QuickCheck.Run();
    return;
}

var isShort = args.Contains("--short");
var rest = args.Where(a => a != "--short").ToArray();
var config = DefaultConfig.Instance.WithOptions(ConfigOptions.JoinSummary);
if (isShort)
{
    config = config.AddJob(Job.ShortRun.WithWarmupCount(3).WithIterationCount(5).WithLaunchCount(1));
}

if (rest.Length == 0)
{
    rest = ["--filter", "*"];
}

BenchmarkSwitcher.FromAssembly(typeof(TokenAuthority.Benchmarks.VerifyBenchmarks).Assembly).Run(rest, config);
