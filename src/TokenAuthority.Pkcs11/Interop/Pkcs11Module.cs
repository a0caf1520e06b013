using System.Reflection;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using Net.Pkcs11Interop.Common;
using Net.Pkcs11Interop.HighLevelAPI;

namespace TokenAuthority.Pkcs11.Interop;

/// <summary>
/// One loaded PKCS#11 module, shared by everything in the process that uses the same path. A module is initialised
/// once per process (<c>C_Initialize</c>) and its login is per process and token, not per session, so several key
/// sources on one module share it: the last to release it finalises it.
/// </summary>
/// <remarks>
/// Because the login is shared, a second source that gives another PIN for a token already logged in would be let in
/// by the module without a check; the PIN that logged in is therefore remembered (as a salted hash) and any other PIN
/// is refused as the module would have refused it. Nothing here ever logs out: that would log out every session of
/// the process.
/// </remarks>
internal sealed class Pkcs11Module
{
    private static readonly Dictionary<string, Pkcs11Module> Loaded = new(StringComparer.Ordinal);
    private static readonly Lock LoadedLock = new();

    private readonly Dictionary<ulong, (ISession Session, byte[] PinHash)> _logins = [];
    private readonly byte[] _salt = RandomNumberGenerator.GetBytes(32);
    private readonly Lock _lock = new();
    private int _references;

    static Pkcs11Module() => ResolveLibdl();

    private Pkcs11Module(string path, IPkcs11Library library)
    {
        Path = path;
        Library = library;
    }

    public string Path { get; }

    public IPkcs11Library Library { get; }

    public Pkcs11InteropFactories Factories { get; } = new();

    /// <summary>Loads (or shares) the module at <paramref name="path"/>; pair every call with <see cref="Release"/>.</summary>
    /// <exception cref="Pkcs11KeyException">The module is missing or cannot be initialised.</exception>
    public static Pkcs11Module Acquire(string path)
    {
        lock (LoadedLock)
        {
            if (!Loaded.TryGetValue(path, out var module))
            {
                if (!File.Exists(path))
                {
                    throw new Pkcs11KeyException(
                        $"the PKCS#11 module \"{path}\" does not exist; install the HSM's PKCS#11 library (for SoftHSM2: apt-get install softhsm2, module /usr/lib/softhsm/libsofthsm2.so) or correct Pkcs11:ModulePath");
                }

                var factories = new Pkcs11InteropFactories();
                IPkcs11Library library;
                try
                {
                    library = factories.Pkcs11LibraryFactory.LoadPkcs11Library(factories, path, AppType.MultiThreaded);
                }
                catch (Exception ex) when (ex is not OutOfMemoryException)
                {
                    throw new Pkcs11KeyException(
                        $"the PKCS#11 module \"{path}\" could not be loaded or initialised ({Describe(ex)}); check that it is the HSM's PKCS#11 library for this platform and that its own configuration (for SoftHSM2, SOFTHSM2_CONF) is readable", ex);
                }

                module = new Pkcs11Module(path, library);
                Loaded.Add(path, module);
            }

            module._references++;
            return module;
        }
    }

    /// <summary>Describes a failure by its PKCS#11 return value (never by data that could hold a PIN).</summary>
    public static string Describe(Exception exception) => exception switch
    {
        Pkcs11Exception p => $"{p.Method} returned {p.RV}",
        _ => exception.Message,
    };

    /// <summary>Finds the slot of the token labelled <paramref name="tokenLabel"/>, or with id <paramref name="slotId"/>.</summary>
    /// <exception cref="Pkcs11KeyException">No such token is present.</exception>
    public ISlot FindSlot(string? tokenLabel, ulong? slotId)
    {
        var slots = Library.GetSlotList(SlotsType.WithTokenPresent);
        var labels = new List<string>();
        foreach (var slot in slots)
        {
            var label = slot.GetTokenInfo().Label.TrimEnd(' ', '\0');
            if (slotId is { } id ? slot.SlotId == id : string.Equals(label, tokenLabel, StringComparison.Ordinal))
            {
                return slot;
            }

            labels.Add($"\"{label}\" (slot {slot.SlotId})");
        }

        var wanted = slotId is { } s ? $"in slot {s}" : $"labelled \"{tokenLabel}\"";
        var present = labels.Count == 0 ? "none" : string.Join(", ", labels);
        throw new Pkcs11KeyException(
            $"no token {wanted} is present in the PKCS#11 module \"{Path}\" (tokens present: {present}); initialise the token or correct Pkcs11:TokenLabel / Pkcs11:SlotId");
    }

    /// <summary>
    /// Logs the process in to the token in <paramref name="slot"/> with the user PIN, once; later calls must give the
    /// same PIN. The login lasts while the module is held.
    /// </summary>
    /// <exception cref="Pkcs11KeyException">The PIN is refused, or the token is locked.</exception>
    public void Login(ISlot slot, string tokenName, string pin)
    {
        var hash = HMACSHA256.HashData(_salt, Encoding.UTF8.GetBytes(pin));
        lock (_lock)
        {
            if (_logins.TryGetValue(slot.SlotId, out var login))
            {
                if (!CryptographicOperations.FixedTimeEquals(login.PinHash, hash))
                {
                    throw WrongPin(tokenName, CKR.CKR_PIN_INCORRECT);
                }

                return;
            }

            var session = slot.OpenSession(SessionType.ReadOnly);
            try
            {
                session.Login(CKU.CKU_USER, pin);
            }
            catch (Pkcs11Exception ex) when (ex.RV is CKR.CKR_PIN_INCORRECT or CKR.CKR_PIN_INVALID or CKR.CKR_PIN_LEN_RANGE or CKR.CKR_PIN_LOCKED or CKR.CKR_PIN_EXPIRED)
            {
                session.Dispose();
                throw WrongPin(tokenName, ex.RV);
            }
            catch (Pkcs11Exception ex) when (ex.RV is CKR.CKR_USER_ALREADY_LOGGED_IN)
            {
                // Logged in by code outside this library, with a PIN that cannot be checked here: refuse rather than guess.
                session.Dispose();
                throw new Pkcs11KeyException(
                    $"the token \"{tokenName}\" is already logged in by other code in this process, so the configured PIN cannot be checked; let TokenAuthority be the only user of the module", ex);
            }
            catch
            {
                session.Dispose();
                throw;
            }

            _logins.Add(slot.SlotId, (session, hash));
        }
    }

    /// <summary>Releases one hold; the last finalises the module, which ends its logins and sessions.</summary>
    public void Release()
    {
        lock (LoadedLock)
        {
            if (--_references > 0)
            {
                return;
            }

            Loaded.Remove(Path);
            foreach (var (session, _) in _logins.Values)
            {
                try
                {
                    session.Dispose();
                }
                catch (Pkcs11Exception)
                {
                    // The session is gone already; finalising below ends everything anyway.
                }
            }

            _logins.Clear();
            Library.Dispose();
        }
    }

    // Pkcs11Interop 5.3 loads modules with dlopen from "libdl". Since glibc 2.34 only libdl.so.2 exists unless the C
    // development files are installed (Debian 12: no libdl.so), so "libdl" is resolved to libdl.so.2 on Linux. An
    // application that set its own resolver for that assembly keeps it.
    private static void ResolveLibdl()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        try
        {
            NativeLibrary.SetDllImportResolver(typeof(Pkcs11InteropFactories).Assembly, static (name, assembly, searchPath) =>
                string.Equals(name, "libdl", StringComparison.Ordinal) && NativeLibrary.TryLoad("libdl.so.2", out var handle) ? handle : IntPtr.Zero);
        }
        catch (InvalidOperationException)
        {
            // A resolver is set already (by the application): it decides.
        }
    }

    private static Pkcs11KeyException WrongPin(string tokenName, CKR rv) => rv switch
    {
        CKR.CKR_PIN_LOCKED => new Pkcs11KeyException($"the user PIN of token \"{tokenName}\" is locked ({rv}); the token's security officer must unlock or reset it"),
        CKR.CKR_PIN_EXPIRED => new Pkcs11KeyException($"the user PIN of token \"{tokenName}\" has expired ({rv}); set a new PIN on the token and in Pkcs11:Pin"),
        _ => new Pkcs11KeyException($"the token \"{tokenName}\" refused the PIN ({rv}); set Pkcs11:Pin to the token's user PIN"),
    };
}
