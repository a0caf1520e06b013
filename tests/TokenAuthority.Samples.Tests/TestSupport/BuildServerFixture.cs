using Xunit.Abstractions;

namespace TokenAuthority.Samples.Tests.TestSupport;

/// <summary>One BuildServer process shared by the tests of a class, with one running job and its token.</summary>
public sealed class BuildServerFixture : IAsyncLifetime
{
    private readonly ForwardingOutput _output = new();

    internal RunningBuildServer Server { get; }

    /// <summary>The job created at start; it is never completed.</summary>
    public string Job { get; private set; } = string.Empty;

    /// <summary>The token <c>POST /jobs</c> returned for <see cref="Job"/>.</summary>
    public string Token { get; private set; } = string.Empty;

    public BuildServerFixture() => Server = new RunningBuildServer(_output);

    public async Task InitializeAsync()
    {
        await Server.StartAsync();
        (Job, Token, _) = await Server.CreateJobAsync();
    }

    public Task DisposeAsync()
    {
        Server.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>The process output is only useful when something fails; the fixture has no test output of its own.</summary>
    private sealed class ForwardingOutput : ITestOutputHelper
    {
        public void WriteLine(string message) => Console.WriteLine(message);

        public void WriteLine(string format, params object[] args) => Console.WriteLine(format, args);
    }
}
