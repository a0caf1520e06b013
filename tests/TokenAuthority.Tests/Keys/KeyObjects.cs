using System.Security.Cryptography;
using TokenAuthority.Tests.TestSupport;

namespace TokenAuthority.Tests.Keys;

/// <summary>Platform key objects made from the fixed test keys: generating RSA keys is slow on a busy machine.</summary>
internal static class KeyObjects
{
    public static RSA Rsa() => Import(RSA.Create(), KubernetesTestKeys.RsaPrivateKey);

    public static RSA RsaPublic() => Import(RSA.Create(), KubernetesTestKeys.RsaPublicKey);

    /// <summary>The public half of another RSA key than <see cref="Rsa"/>.</summary>
    public static RSA OtherRsaPublic() => Import(RSA.Create(), KubernetesTestKeys.OtherPublicKey);

    private static T Import<T>(T key, string pem)
        where T : AsymmetricAlgorithm
    {
        key.ImportFromPem(pem);
        return key;
    }
}
