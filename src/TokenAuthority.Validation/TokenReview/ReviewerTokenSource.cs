namespace TokenAuthority.Validation;

/// <summary>
/// The bearer token presented to the TokenReview endpoint: a fixed string, or the content of a file that is
/// re-read at most once per <see cref="RefreshInterval"/> (kubelet rotates projected tokens in place; client-go
/// re-reads its token file every minute too). A file that cannot be read keeps the last good token.
/// </summary>
internal sealed class ReviewerTokenSource(string? token, string? file)
{
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromMinutes(1);

    private readonly Lock _lock = new();
    private (string Value, DateTimeOffset ReadAt)? _cached;

    public async ValueTask<string?> GetAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(file))
        {
            return string.IsNullOrEmpty(token) ? null : token;
        }

        (string Value, DateTimeOffset ReadAt)? cached;
        lock (_lock)
        {
            cached = _cached;
        }

        if (cached is { } c && now >= c.ReadAt && now - c.ReadAt < RefreshInterval)
        {
            return c.Value;
        }

        string value;
        try
        {
            value = (await File.ReadAllTextAsync(file, cancellationToken).ConfigureAwait(false)).Trim();
        }
        catch (Exception ex) when (cached is not null && ex is IOException or UnauthorizedAccessException)
        {
            return cached.Value.Value;
        }

        if (value.Length == 0)
        {
            return cached?.Value;
        }

        lock (_lock)
        {
            _cached = (value, now);
        }

        return value;
    }
}
