using System.Runtime.InteropServices;

namespace TokenAuthority.Pkcs11.Tests.TestSupport;

/// <summary>
/// Sets a variable in the process's native environment. On Unix, Environment.SetEnvironmentVariable changes .NET's own
/// copy only, and a native module (SoftHSM reads SOFTHSM2_CONF with getenv) would not see it.
/// </summary>
internal static partial class NativeEnvironment
{
    public static void Set(string name, string value)
    {
        Environment.SetEnvironmentVariable(name, value);
        if (!OperatingSystem.IsWindows() && SetEnv(name, value, 1) != 0)
        {
            throw new InvalidOperationException($"setenv({name}) failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    [LibraryImport("libc", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int SetEnv(string name, string value, int overwrite);
}
