using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Net.Pkcs11Interop.Common;
using Net.Pkcs11Interop.HighLevelAPI;
using TokenAuthority.Keys;
using TokenAuthority.Pkcs11.Diagnostics;
using TokenAuthority.Pkcs11.Interop;
using TokenAuthority.Pkcs11.Keys;

namespace TokenAuthority.Pkcs11;

/// <summary>
/// Keys held in a PKCS#11 token (an HSM, SoftHSM2): the key labelled <see cref="Pkcs11KeyOptions.SigningKeyLabel"/>
/// signs, inside the token, and the keys labelled <see cref="Pkcs11KeyOptions.VerificationKeyLabels"/> are published
/// for verification. No private key material is ever read into the process.
/// </summary>
/// <remarks>
/// The keys are found when the provider is created (at start-up): a missing module, token or key, a refused PIN or a
/// key that is too weak or of another type stops the host with one message naming the thing and the remedy. The
/// signing key then signs a probe, checked with its public key, so a key that cannot sign (<c>CKA_SIGN</c> false) is
/// found before the first request. The set does not change while the host runs: to rotate, the operator generates a
/// new key on the token, adds its label to every instance's verification labels, then makes it the signing key
/// everywhere, as with Kubernetes' key files.
/// </remarks>
public sealed class Pkcs11TokenKeySetProvider : ITokenKeySetProvider, IDisposable
{
    private readonly Pkcs11Module _module;
    private readonly Pkcs11SessionPool _sessions;
    private readonly List<TokenKey> _keys = [];
    private int _disposed;

    /// <summary>Opens the token and loads the keys.</summary>
    /// <exception cref="Pkcs11KeyException">The module, token, PIN or a key cannot be used; the message says which and what to do.</exception>
    public Pkcs11TokenKeySetProvider(IOptions<Pkcs11KeyOptions> options, ILogger<Pkcs11TokenKeySetProvider> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        var o = options.Value;
        var modulePath = o.ModulePath ?? throw new Pkcs11KeyException("Pkcs11:ModulePath is not set");
        var pin = o.Pin ?? throw new Pkcs11KeyException("Pkcs11:Pin is not set");
        var signingLabel = o.SigningKeyLabel ?? throw new Pkcs11KeyException("Pkcs11:SigningKeyLabel is not set");
        var tokenName = o.TokenLabel ?? $"slot {o.SlotId}";

        _module = Pkcs11Module.Acquire(modulePath);
        try
        {
            var slot = _module.FindSlot(o.TokenLabel, o.SlotId);
            _module.Login(slot, tokenName, pin);
            _sessions = new Pkcs11SessionPool(slot, o.MaxSessions, logger);
            try
            {
                var signingKey = LoadSigningKey(signingLabel, tokenName, logger);
                var verificationKeys = o.VerificationKeyLabels.Select(label => LoadVerificationKey(label, tokenName)).ToList();
                Current = new TokenKeySet(signingKey, verificationKeys);
                logger.KeysLoaded(tokenName, modulePath, signingLabel, signingKey.Algorithm, signingKey.KeyId, verificationKeys.Count);
            }
            catch
            {
                DisposeKeys();
                _sessions.Dispose();
                throw;
            }
        }
        catch (Pkcs11Exception ex)
        {
            _module.Release();
            throw new Pkcs11KeyException($"the PKCS#11 token \"{tokenName}\" could not be used ({Pkcs11Module.Describe(ex)})", ex);
        }
        catch
        {
            _module.Release();
            throw;
        }
    }

    /// <inheritdoc />
    public TokenKeySet Current { get; }

    /// <summary>Disposes the keys and closes the sessions; the last user of the module finalises it.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        DisposeKeys();
        _sessions.Dispose();
        _module.Release();
    }

    private TokenKey LoadSigningKey(string label, string tokenName, ILogger logger)
    {
        var (signer, exportable) = _sessions.Run(session =>
        {
            var factories = _module.Factories;
            var privateKey = Pkcs11KeyReader.Find(session, factories, CKO.CKO_PRIVATE_KEY, label, tokenName)
                ?? throw new Pkcs11KeyException(
                    $"no private key labelled \"{label}\" is on token \"{tokenName}\"; generate it there (non-extractable) or correct Pkcs11:SigningKeyLabel");
            var type = Pkcs11KeyReader.KeyType(session, privateKey);
            var publicKey = Pkcs11KeyReader.Find(session, factories, CKO.CKO_PUBLIC_KEY, label, tokenName);
            var spki = Pkcs11KeyReader.SubjectPublicKeyInfo(session, publicKey ?? privateKey, label, tokenName);
            if (publicKey is not null && Pkcs11KeyReader.KeyType(session, publicKey) != type)
            {
                throw new Pkcs11KeyException($"the private and public keys labelled \"{label}\" on token \"{tokenName}\" are of different types");
            }

            var flags = session.GetAttributeValue(privateKey, [CKA.CKA_EXTRACTABLE, CKA.CKA_SENSITIVE]);
            var exportable = flags[0] is { CannotBeRead: false } extractable && extractable.GetValueAsBool() ? "CKA_EXTRACTABLE=true"
                : flags[1] is { CannotBeRead: false } sensitive && !sensitive.GetValueAsBool() ? "CKA_SENSITIVE=false"
                : null;
            return (new Pkcs11Signer(_sessions, factories, privateKey, type == CKK.CKK_RSA, spki), exportable);
        });

        if (exportable is not null)
        {
            logger.PrivateKeyExportable(label, tokenName, exportable);
        }

        var key = Wrap(() => TokenKey.FromExternalSigner(signer), label, tokenName);
        _keys.Add(key);
        Probe(signer, key, label, tokenName);
        return key;
    }

    private TokenKey LoadVerificationKey(string label, string tokenName)
    {
        var spki = _sessions.Run(session =>
        {
            var publicKey = Pkcs11KeyReader.Find(session, _module.Factories, CKO.CKO_PUBLIC_KEY, label, tokenName)
                ?? throw new Pkcs11KeyException(
                    $"no public key labelled \"{label}\" is on token \"{tokenName}\"; import it there or remove it from Pkcs11:VerificationKeyLabels");
            return Pkcs11KeyReader.SubjectPublicKeyInfo(session, publicKey, label, tokenName);
        });
        var key = Wrap(() => TokenKey.ParsePem(PemEncoding.WriteString("PUBLIC KEY", spki))[0], label, tokenName);
        _keys.Add(key);
        return key;
    }

    // Signs a probe digest in the token and checks it with the published public key: a key that may not sign, or a
    // private key that does not match its public key, stops the start instead of failing every TokenRequest.
    private static void Probe(Pkcs11Signer signer, TokenKey key, string label, string tokenName)
    {
        var hash = key.Algorithm switch
        {
            "ES384" => HashAlgorithmName.SHA384,
            "ES512" => HashAlgorithmName.SHA512,
            _ => HashAlgorithmName.SHA256,
        };
        var digest = CryptographicOperations.HashData(hash, "TokenAuthority PKCS#11 signing-key probe"u8);
        byte[] signature;
        try
        {
            signature = signer.SignDigest(digest);
        }
        catch (Pkcs11Exception ex)
        {
            throw new Pkcs11KeyException(
                $"the key \"{label}\" on token \"{tokenName}\" could not sign ({Pkcs11Module.Describe(ex)}); it needs CKA_SIGN=true", ex);
        }

        var spki = signer.SubjectPublicKeyInfo.ToArray();
        bool verifies;
        if (key.KeyType == "RSA")
        {
            using var rsa = RSA.Create();
            rsa.ImportSubjectPublicKeyInfo(spki, out _);
            verifies = rsa.VerifyHash(digest, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        }
        else
        {
            using var ecdsa = ECDsa.Create();
            ecdsa.ImportSubjectPublicKeyInfo(spki, out _);
            verifies = ecdsa.VerifyHash(digest, signature, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        }

        if (!verifies)
        {
            throw new Pkcs11KeyException(
                $"the private key \"{label}\" on token \"{tokenName}\" signs, but not for the public key of that label; the two objects belong to different key pairs");
        }
    }

    private static TokenKey Wrap(Func<TokenKey> create, string label, string tokenName)
    {
        try
        {
            return create();
        }
        catch (Exception ex) when (ex is NotSupportedException or FormatException or CryptographicException)
        {
            throw new Pkcs11KeyException($"the key \"{label}\" on token \"{tokenName}\" cannot be used: {ex.Message}", ex);
        }
    }

    private void DisposeKeys()
    {
        foreach (var key in _keys)
        {
            key.Dispose();
        }

        _keys.Clear();
    }
}
