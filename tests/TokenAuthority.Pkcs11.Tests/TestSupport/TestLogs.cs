using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace TokenAuthority.Pkcs11.Tests.TestSupport;

/// <summary>Collects every log entry (event id, level, formatted message) of a test host.</summary>
public sealed class TestLogs : ILoggerProvider
{
    public ConcurrentQueue<(int EventId, LogLevel Level, string Message)> Entries { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this);

    public void Dispose()
    {
    }

    private sealed class Logger(TestLogs logs) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            logs.Entries.Enqueue((eventId.Id, logLevel, formatter(state, exception)));
    }
}
