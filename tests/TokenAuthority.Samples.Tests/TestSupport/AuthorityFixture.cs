using Xunit.Abstractions;

namespace TokenAuthority.Samples.Tests.TestSupport;

/// <summary>One Authority process shared by the tests of a class (each test uses its own object names).</summary>
public sealed class AuthorityFixture : IAsyncLifetime
{
    private readonly ForwardingOutput _output = new();

    internal RunningSamples Samples { get; }

    public AuthorityFixture() => Samples = new RunningSamples(_output);

    public Task InitializeAsync() => Samples.StartAuthorityAsync();

    public Task DisposeAsync()
    {
        Samples.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>The process output is only useful when something fails; the fixture has no test output of its own.</summary>
    private sealed class ForwardingOutput : ITestOutputHelper
    {
        public void WriteLine(string message) => Console.WriteLine(message);

        public void WriteLine(string format, params object[] args) => Console.WriteLine(format, args);
    }
}
