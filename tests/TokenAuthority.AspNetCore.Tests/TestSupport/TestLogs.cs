using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace TokenAuthority.AspNetCore.Tests.TestSupport;

/// <summary>Collects log entries so that tests can assert what was logged, by event id.</summary>
public sealed class TestLogs : ILoggerProvider
{
    public ConcurrentQueue<(string Category, LogLevel Level, EventId EventId, string Message)> Entries { get; } = new();

    public bool Has(int eventId) => Entries.Any(e => e.EventId.Id == eventId);

    public bool Has(int eventId, string fragment) => Entries.Any(e => e.EventId.Id == eventId && e.Message.Contains(fragment, StringComparison.Ordinal));

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(TestLogs owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner.Entries.Enqueue((category, logLevel, eventId, formatter(state, exception)));
    }
}
