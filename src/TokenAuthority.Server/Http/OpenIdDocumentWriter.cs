using System.Text;
using Microsoft.AspNetCore.Http;
using TokenAuthority.Discovery;
using TokenAuthority.Validation;

namespace TokenAuthority.Server.Http;

/// <summary>
/// Serves the discovery document and the JWKS from UTF-8 bytes encoded once per key set (when
/// <see cref="IOpenIdMetadataProvider.Current"/> changes), not once per request.
/// </summary>
internal sealed class OpenIdDocumentWriter(IOpenIdMetadataProvider provider)
{
    private Encoded? _encoded;

    /// <summary>Writes <c>/.well-known/openid-configuration</c>.</summary>
    public Task WriteConfigurationAsync(HttpContext context)
    {
        var encoded = Current();
        return WriteAsync(context, encoded.Configuration, OpenIdMetadata.ConfigurationContentType, encoded.CacheControl);
    }

    /// <summary>Writes <c>/openid/v1/jwks</c>.</summary>
    public Task WriteKeySetAsync(HttpContext context)
    {
        var encoded = Current();
        return WriteAsync(context, encoded.KeySet, OpenIdMetadata.KeySetContentType, encoded.CacheControl);
    }

    private static Task WriteAsync(HttpContext context, byte[] body, string contentType, string cacheControl)
    {
        var response = context.Response;
        response.ContentType = contentType;
        response.Headers.CacheControl = cacheControl;
        response.ContentLength = body.Length;
        return response.Body.WriteAsync(body, context.RequestAborted).AsTask();
    }

    private Encoded Current()
    {
        var metadata = provider.Current;

        // One reference read and write: a reader sees a whole (metadata, bytes) pair, never half of two.
        var encoded = Volatile.Read(ref _encoded);
        if (encoded is null || !ReferenceEquals(encoded.Source, metadata))
        {
            encoded = new Encoded(metadata, Encoding.UTF8.GetBytes(metadata.ConfigurationJson), Encoding.UTF8.GetBytes(metadata.KeySetJson), metadata.CacheControlHeader);
            Volatile.Write(ref _encoded, encoded);
        }

        return encoded;
    }

    private sealed record Encoded(OpenIdMetadata Source, byte[] Configuration, byte[] KeySet, string CacheControl);
}
