namespace TokenAuthority.Keys.Ring;

/// <summary>
/// The key ring's rules as pure functions of the stored records and the time: which key signs, which are published,
/// when each retires and goes, and what must change in the store. Every instance computes the same answers from the
/// same records (invariant 3 of docs: the active key is the one with the latest activation not after now).
/// </summary>
internal static class KeyRingTimeline
{
    /// <summary>The records in activation order (then publication, then id), the order every answer uses.</summary>
    public static KeyRingRecord[] Ordered(IEnumerable<KeyRingRecord> records) =>
        records.OrderBy(r => r.Activates).ThenBy(r => r.Published).ThenBy(r => r.KeyId, StringComparer.Ordinal).ToArray();

    /// <summary>
    /// The signing key at <paramref name="now"/>: the latest activation not after now. When every activation is still
    /// ahead (a new ring seen by an instance whose clock is a few seconds behind), the first key, which is the
    /// ring's initial key and had no predecessor to wait for.
    /// </summary>
    public static KeyRingRecord? Active(IReadOnlyList<KeyRingRecord> ordered, DateTimeOffset now)
    {
        KeyRingRecord? active = null;
        foreach (var r in ordered)
        {
            if (r.Activates <= now)
            {
                active = r;
            }
        }

        return active ?? (ordered.Count > 0 ? ordered[0] : null);
    }

    /// <summary>When <paramref name="record"/> stops signing: the next activation after its own; null when none is scheduled.</summary>
    public static DateTimeOffset? Retires(IReadOnlyList<KeyRingRecord> ordered, KeyRingRecord record)
    {
        foreach (var r in ordered)
        {
            if (r.Activates > record.Activates)
            {
                return r.Activates;
            }
        }

        return null;
    }

    /// <summary>When <paramref name="record"/> may go: its retirement, plus the longest token it may have signed, plus the margin.</summary>
    public static DateTimeOffset? RemoveAfter(IReadOnlyList<KeyRingRecord> ordered, KeyRingRecord record, KeyRingSchedule schedule) =>
        Retires(ordered, record) is { } retires ? AddSeconds(retires, record.MaxTokenLifetimeSeconds + (long)schedule.RetentionMargin.TotalSeconds) : null;

    /// <summary>The keys that are in the ring at <paramref name="now"/> (not yet due for removal), with their states.</summary>
    public static IReadOnlyList<KeyRingKey> Keys(IReadOnlyList<KeyRingRecord> ordered, DateTimeOffset now, KeyRingSchedule schedule)
    {
        var active = Active(ordered, now);
        var keys = new List<KeyRingKey>(ordered.Count);
        foreach (var r in ordered)
        {
            var removeAfter = RemoveAfter(ordered, r, schedule);
            if (removeAfter is { } gone && now >= gone && !ReferenceEquals(r, active))
            {
                continue;
            }

            var state = ReferenceEquals(r, active) ? KeyRingKeyState.Active
                : r.Activates > now ? KeyRingKeyState.Published
                : KeyRingKeyState.Retired;
            keys.Add(new KeyRingKey(r.KeyId, r.Algorithm, state, r.Published, r.Activates, Retires(ordered, r), removeAfter));
        }

        return keys;
    }

    /// <summary>The next moment after <paramref name="now"/> at which <see cref="Keys"/> changes; null when none is scheduled.</summary>
    public static DateTimeOffset? NextTransition(IReadOnlyList<KeyRingRecord> ordered, DateTimeOffset now, KeyRingSchedule schedule)
    {
        DateTimeOffset? next = null;
        foreach (var r in ordered)
        {
            if (r.Activates > now)
            {
                next = Min(next, r.Activates);
            }

            if (RemoveAfter(ordered, r, schedule) is { } gone && gone > now)
            {
                next = Min(next, gone);
            }
        }

        return next;
    }

    /// <summary>
    /// The records the store should hold at <paramref name="now"/>: keys due for removal dropped, the signing and
    /// prepared keys' lifetime bound raised to the current configuration's, an initial key when the ring is empty,
    /// and a prepared successor when there is none. Returns the input (same instance) when nothing changes.
    /// </summary>
    /// <param name="ordered">The stored records, in <see cref="Ordered"/> order.</param>
    /// <param name="now">The time, in whole seconds.</param>
    /// <param name="schedule">The timeline's numbers.</param>
    /// <param name="newKey">Makes a new key: the first one (<c>true</c>: may be an imported key) or a successor (<c>false</c>).</param>
    /// <param name="created">The keys <paramref name="newKey"/> made, for the store to write first.</param>
    public static IReadOnlyList<KeyRingRecord> Plan(IReadOnlyList<KeyRingRecord> ordered, DateTimeOffset now, KeyRingSchedule schedule, Func<bool, TokenKey> newKey, List<TokenKey> created)
    {
        var changed = false;
        var active = Active(ordered, now);
        var next = new List<KeyRingRecord>(ordered.Count + 1);
        foreach (var r in ordered)
        {
            if (!ReferenceEquals(r, active) && RemoveAfter(ordered, r, schedule) is { } gone && now >= gone)
            {
                changed = true;
                continue;
            }

            // A key that signs now or later signs under this configuration: its retention must cover the longest token it allows.
            if ((ReferenceEquals(r, active) || r.Activates > now) && r.MaxTokenLifetimeSeconds < schedule.MaxTokenLifetimeSeconds)
            {
                next.Add(r with { MaxTokenLifetimeSeconds = schedule.MaxTokenLifetimeSeconds });
                changed = true;
                continue;
            }

            next.Add(r);
        }

        if (next.Count == 0)
        {
            // A new ring: no verifier can hold an older JWKS, so its first key signs at once.
            var first = newKey(true);
            created.Add(first);
            next.Add(new KeyRingRecord(first.KeyId, first.Algorithm, now, now, schedule.MaxTokenLifetimeSeconds));
            changed = true;
            active = next[0];
        }

        if (!next.Exists(r => r.Activates > now))
        {
            // The prepared successor: published now, signing one interval after the active key started, and never
            // before it has been published for the JWKS max-age.
            var lastStart = active?.Activates ?? now;
            var activates = Max(lastStart + schedule.RotationInterval, now + schedule.PublishLead);
            var successor = newKey(false);
            created.Add(successor);
            next.Add(new KeyRingRecord(successor.KeyId, successor.Algorithm, now, activates, schedule.MaxTokenLifetimeSeconds));
            changed = true;
        }

        return changed ? Ordered(next) : ordered;
    }

    /// <summary>
    /// Rotation on demand: the prepared successor activates now when it has been published for the max-age, else at
    /// the moment it has been. Returns the new records (before <see cref="Plan"/> prepares the next successor) and the outcome.
    /// </summary>
    public static (IReadOnlyList<KeyRingRecord> Records, KeyRingRotation Outcome)? RotateNow(IReadOnlyList<KeyRingRecord> ordered, DateTimeOffset now, KeyRingSchedule schedule)
    {
        var successor = ordered.FirstOrDefault(r => r.Activates > now);
        if (successor is null)
        {
            return null;
        }

        var ready = successor.Published + schedule.PublishLead;
        var activates = Max(now, ready);
        var outcome = activates <= now
            ? new KeyRingRotation(successor.KeyId, activates, true, $"Key {successor.KeyId} ({successor.Algorithm}) signs from now on; a new successor is prepared.")
            : new KeyRingRotation(successor.KeyId, activates, false,
                $"Key {successor.KeyId} ({successor.Algorithm}) has been published since {successor.Published:u}, less than the JWKS max-age plus the refresh interval ({schedule.PublishLead}); it signs from {activates:u}, when every verifier's cached JWKS has it.");
        if (successor.Activates == activates)
        {
            return (ordered, outcome);
        }

        var records = Ordered(ordered.Select(r => ReferenceEquals(r, successor) ? r with { Activates = activates } : r));
        return (records, outcome);
    }

    /// <summary>
    /// Revocation: the record of <paramref name="keyId"/> leaves the ring. When it is the signing key, the prepared
    /// successor (or, if there is none, a new key) activates now, ahead of publish-before-sign: a compromised key must
    /// stop signing at once. Returns null when no record has that id; <see cref="Plan"/> then prepares the next successor.
    /// </summary>
    public static (IReadOnlyList<KeyRingRecord> Records, KeyRingRevocation Outcome)? Revoke(
        IReadOnlyList<KeyRingRecord> ordered, string keyId, DateTimeOffset now, KeyRingSchedule schedule, Func<bool, TokenKey> newKey, List<TokenKey> created)
    {
        var target = ordered.FirstOrDefault(r => string.Equals(r.KeyId, keyId, StringComparison.Ordinal));
        if (target is null)
        {
            return null;
        }

        var active = Active(ordered, now);
        var rest = ordered.Where(r => !ReferenceEquals(r, target)).ToList();
        if (!ReferenceEquals(target, active))
        {
            var what = target.Activates > now ? "the prepared successor, which never signed; a new successor is prepared" : "retired; every token it signed is refused from now on";
            return (Ordered(rest), new KeyRingRevocation(keyId, active!.KeyId, $"Key {keyId} ({target.Algorithm}) revoked and removed from the JWKS: it was {what}."));
        }

        var successor = rest.FirstOrDefault(r => r.Activates > now);
        if (successor is null)
        {
            var key = newKey(false);
            created.Add(key);
            successor = new KeyRingRecord(key.KeyId, key.Algorithm, now, now, schedule.MaxTokenLifetimeSeconds);
            rest.Add(successor);
        }
        else
        {
            rest[rest.IndexOf(successor)] = successor with { Activates = now };
        }

        var caveat = successor.Published + schedule.PublishLead <= now
            ? $"it has been published since {successor.Published:u}, so every verifier's cached JWKS has it"
            : $"it has been published only since {successor.Published:u}, less than the JWKS max-age plus the refresh interval ({schedule.PublishLead}): a verifier that cached the JWKS before then refuses its tokens until it fetches the JWKS again";
        return (Ordered(rest), new KeyRingRevocation(keyId, successor.KeyId,
            $"Key {keyId} ({target.Algorithm}) revoked and removed from the JWKS: every token it signed is refused from now on. Key {successor.KeyId} ({successor.Algorithm}) signs from now on; {caveat}."));
    }

    /// <summary>Whole seconds: tokens carry whole seconds, and stored times compare exactly with them.</summary>
    public static DateTimeOffset Truncate(DateTimeOffset time) => DateTimeOffset.FromUnixTimeSeconds(time.ToUnixTimeSeconds());

    private static DateTimeOffset AddSeconds(DateTimeOffset time, long seconds)
    {
        var max = DateTimeOffset.MaxValue.ToUnixTimeSeconds() - 1;
        var target = time.ToUnixTimeSeconds() + seconds;
        return DateTimeOffset.FromUnixTimeSeconds(Math.Min(target, max));
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a >= b ? a : b;

    private static DateTimeOffset Min(DateTimeOffset? a, DateTimeOffset b) => a is { } x && x <= b ? x : b;
}
