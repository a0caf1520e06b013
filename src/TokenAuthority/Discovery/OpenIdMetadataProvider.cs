using Microsoft.Extensions.Options;
using TokenAuthority.Keys;
using TokenAuthority.Keys.Ring;

namespace TokenAuthority.Discovery;

/// <summary>Renders the documents once per key set and serves the cached copy on every request.</summary>
internal sealed class OpenIdMetadataProvider(IOptions<TokenAuthorityOptions> options, IOptions<KeyRingOptions> ring, ITokenKeySetProvider keys) : IOpenIdMetadataProvider
{
    private readonly TimeSpan _maxAge = ring.Value.JwksMaxAge;
    private readonly string _issuer = options.Value.Issuer ?? string.Empty;
    private readonly string _jwksUri = options.Value.EffectiveJwksUri();

    // A class, read and written as one reference: a struct pair could be read torn (new keys with old documents).
    private Rendered? _cache;

    public OpenIdMetadata Current
    {
        get
        {
            var keySet = keys.Current;
            var cached = Volatile.Read(ref _cache);
            if (cached is not null && ReferenceEquals(cached.Keys, keySet))
            {
                return cached.Metadata;
            }

            var metadata = OpenIdMetadataBuilder.Build(_issuer, _jwksUri, keySet.VerificationKeys) with { MaxAge = _maxAge };
            Volatile.Write(ref _cache, new Rendered(keySet, metadata));
            return metadata;
        }
    }

    private sealed record Rendered(TokenKeySet Keys, OpenIdMetadata Metadata);
}
