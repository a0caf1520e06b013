namespace TokenAuthority.Keys.Ring;

/// <summary>
/// TEST-ONLY: lets a process-level test stop the managed key directory's writer at a chosen step of a save and kill the
/// process there (<c>kill -9</c>), to check that what a crash leaves on disk loads. Inert unless the environment variable
/// <see cref="EnvironmentVariable"/> names a directory; never set it in production (a paused writer holds the ring's lock
/// until the process dies). The test arms it by writing a file <c>pause-at</c> in that directory holding the steps to
/// wait for, separated by <c>&gt;</c> (e.g. <c>key-written</c>, or <c>key-written&gt;temp-half-written</c> for the
/// ring file's torn temporary copy); at the last one this writes <c>paused</c> there and blocks forever.
/// </summary>
internal static class KeyRingTestPause
{
    /// <summary>The environment variable naming the hook's directory.</summary>
    public const string EnvironmentVariable = "TOKENAUTHORITY_TEST_KEYRING_PAUSE_DIR";

    /// <summary>The step callback for <see cref="DirectoryKeyRingStore.Step"/>, or null when the variable is not set.</summary>
    public static Action<string>? FromEnvironment()
    {
        var directory = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (string.IsNullOrEmpty(directory))
        {
            return null;
        }

        // The store calls its steps under the ring's lock, one writer at a time.
        var matched = 0;
        return step =>
        {
            var armed = Path.Combine(directory, "pause-at");
            if (!File.Exists(armed))
            {
                matched = 0;
                return;
            }

            var sequence = File.ReadAllText(armed).Trim().Split('>', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            if (matched >= sequence.Length || !string.Equals(step, sequence[matched], StringComparison.Ordinal) || ++matched < sequence.Length)
            {
                return;
            }

            File.WriteAllText(Path.Combine(directory, "paused"), step);
            Thread.Sleep(Timeout.Infinite);
        };
    }
}
