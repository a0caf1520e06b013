using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace TokenAuthority.Client;

/// <summary>
/// A token read from a file, as a Kubernetes projected volume provides it (the kubelet rewrites it before it expires):
/// re-read when the file's modification time changes and at least every minute, like client-go's
/// <c>NewCachedFileTokenSource</c>.
/// </summary>
public sealed class ProjectedTokenFile : IBearerTokenProvider
{
    /// <summary>How long a read is used before the file is read again even if its time stamp is unchanged.</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(1);

    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly Lock _lock = new();
    private string? _token;
    private DateTime _writeTime;
    private DateTimeOffset _readAt;

    /// <summary>Creates the source for <paramref name="path"/>.</summary>
    /// <param name="path">The token file.</param>
    /// <param name="timeProvider">The clock.</param>
    /// <param name="logger">The logger.</param>
    public ProjectedTokenFile(string path, TimeProvider timeProvider, ILogger<ProjectedTokenFile>? logger = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(timeProvider);
        Path = path;
        _timeProvider = timeProvider;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>The token file.</summary>
    public string Path { get; }

    /// <summary>The token: the last read while the file is unchanged and the read is under a minute old, otherwise read again.</summary>
    /// <returns>The token, trimmed.</returns>
    /// <exception cref="IOException">The file cannot be read, or it is empty.</exception>
    public string GetToken()
    {
        var now = _timeProvider.GetUtcNow();
        var writeTime = File.GetLastWriteTimeUtc(Path);
        lock (_lock)
        {
            if (_token is not null && writeTime == _writeTime && now - _readAt < MaxAge)
            {
                return _token;
            }
            var token = File.ReadAllText(Path).Trim();
            if (token.Length == 0)
            {
                throw new IOException($"The token file '{Path}' is empty.");
            }
            (_token, _writeTime, _readAt) = (token, writeTime, now);
            _logger.TokenFileRead(Path);
            return token;
        }
    }

    ValueTask<string> IBearerTokenProvider.GetTokenAsync(CancellationToken cancellationToken) => ValueTask.FromResult(GetToken());

    ValueTask<string> IBearerTokenProvider.RefreshTokenAsync(string rejectedToken, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            _token = null;
        }
        return ValueTask.FromResult(GetToken());
    }
}
