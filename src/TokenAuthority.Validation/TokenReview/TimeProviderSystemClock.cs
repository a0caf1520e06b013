using Microsoft.Extensions.Internal;

namespace TokenAuthority.Validation;

/// <summary>
/// Gives <see cref="Microsoft.Extensions.Caching.Memory.MemoryCache"/> (whose options take an <see cref="ISystemClock"/>,
/// not a <see cref="TimeProvider"/>) the injected clock, so that cache expiry follows it.
/// </summary>
internal sealed class TimeProviderSystemClock(TimeProvider timeProvider) : ISystemClock
{
    public DateTimeOffset UtcNow => timeProvider.GetUtcNow();
}
