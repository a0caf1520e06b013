namespace TokenAuthority.Pkcs11;

/// <summary>
/// The PKCS#11 keys cannot be used: the module, the token, the PIN or a key is missing or refused. The message names
/// the thing and the remedy; it never holds the PIN.
/// </summary>
public sealed class Pkcs11KeyException : Exception
{
    /// <summary>Creates the exception.</summary>
    public Pkcs11KeyException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public Pkcs11KeyException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public Pkcs11KeyException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
