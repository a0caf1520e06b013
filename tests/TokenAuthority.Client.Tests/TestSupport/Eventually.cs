namespace TokenAuthority.Client.Tests.TestSupport;

/// <summary>Waits (in real time, bounded) for background work started by a fake-clock timer to finish.</summary>
internal static class Eventually
{
    public static async Task True(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Timed out waiting for: {what}");
            }
            await Task.Delay(5);
        }
    }

    public static async Task True(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Timed out waiting for: {what}");
            }
            await Task.Delay(5);
        }
    }

    /// <summary>Gives background work a chance to run, for asserting that something did NOT happen.</summary>
    public static Task Settle() => Task.Delay(100);
}
