using Microsoft.Extensions.Options;
using TokenAuthority.Keys;

namespace TokenAuthority.Discovery;

/// <summary>Renders the documents once per key set and serves the cached copy on every request.</summary>
internal sealed class OpenIdMetadataProvider(IOptions<TokenAuthorityOptions> options, ITokenKeySetProvider keys) : IOpenIdMetadataProvider
{
    private readonly string _issuer = options.Value.Issuer ?? string.Empty;
    private readonly string _jwksUri = options.Value.EffectiveJwksUri();
    private (TokenKeySet Keys, OpenIdMetadata Metadata)? _cache;

    public OpenIdMetadata Current
    {
        get
        {
            var keySet = keys.Current;
            var cached = _cache;
            if (cached is { } c && ReferenceEquals(c.Keys, keySet))
            {
                return c.Metadata;
            }

            var metadata = OpenIdMetadataBuilder.Build(_issuer, _jwksUri, keySet.VerificationKeys);
            _cache = (keySet, metadata);
            return metadata;
        }
    }
}
