using System.Globalization;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using TokenAuthority.Keys.Ring;

namespace TokenAuthority.Health;

/// <summary>
/// How healthy a key ring is, from its status alone (a pure function, so the rules are tested on a fake clock):
/// Unhealthy without an active key; Degraded when no published successor will be ready (published for the JWKS
/// max-age plus the refresh interval) by its activation, or when the store could not be re-read for longer than the
/// refresh interval (the last good ring stays in force); Healthy otherwise. Descriptions carry key ids and times only.
/// </summary>
internal static class KeyRingHealth
{
    public static (HealthStatus Status, string Description) Evaluate(KeyRingStatus status)
    {
        ArgumentNullException.ThrowIfNull(status);
        var active = status.Keys.FirstOrDefault(k => k.State == KeyRingKeyState.Active);
        if (active is null)
        {
            return (HealthStatus.Unhealthy, $"key ring {status.Store} has no active key: nothing can be signed");
        }

        var problems = new List<string>();
        var successor = status.Keys.Where(k => k.State == KeyRingKeyState.Published).OrderBy(k => k.Activates).FirstOrDefault();
        if (successor is null)
        {
            problems.Add($"key ring {status.Store} has no published successor to key {active.KeyId}: the next rotation has no key verifiers already hold (is the store writable?)");
        }
        else if (successor.Activates - successor.Published < status.PublishLead)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture,
                $"key ring {status.Store}: successor {successor.KeyId} activates at {successor.Activates:u}, before it has been published for {status.PublishLead} (the JWKS max-age plus the refresh interval)"));
        }

        if (status.RefreshFailure is { } failure && status.LastRead is { } lastRead && status.Now - lastRead > status.RefreshInterval)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture,
                $"key ring {status.Store} could not be re-read since {lastRead:u} ({failure}), longer than the refresh interval {status.RefreshInterval}; the last good ring stays in force"));
        }

        return problems.Count == 0
            ? (HealthStatus.Healthy, string.Create(CultureInfo.InvariantCulture, $"key ring {status.Store}: key {active.KeyId} signs, successor {successor!.KeyId} from {successor.Activates:u}"))
            : (HealthStatus.Degraded, string.Join("; ", problems));
    }
}
