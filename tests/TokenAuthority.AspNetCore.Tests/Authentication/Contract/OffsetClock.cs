namespace TokenAuthority.AspNetCore.Tests.Authentication.Contract;

/// <summary>
/// The system clock moved by <see cref="Offset"/>: an authority on it can issue a token in the past (set a negative
/// offset, issue, set it back), which JwtBearer, on the real clock, then sees as expired like the other paths do.
/// </summary>
public sealed class OffsetClock : TimeProvider
{
    public TimeSpan Offset { get; set; }

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + Offset;
}
