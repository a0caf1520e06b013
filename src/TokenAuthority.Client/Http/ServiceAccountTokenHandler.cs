using System.Net;
using System.Net.Http.Headers;

namespace TokenAuthority.Client;

/// <summary>
/// Attaches <c>Authorization: Bearer</c> with a service-account token; when the callee answers 401 with
/// <c>error="invalid_token"</c>, replaces the token once and retries a request that is safe to send again. A 403 is the callee's
/// decision about a valid token and is returned as is.
/// </summary>
internal sealed class ServiceAccountTokenHandler(IBearerTokenProvider tokens) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var token = await tokens.GetTokenAsync(cancellationToken).ConfigureAwait(false);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.Unauthorized || !SaysInvalidToken(response) || !CanResend(request))
        {
            return response;
        }
        var replacement = await tokens.RefreshTokenAsync(token, cancellationToken).ConfigureAwait(false);
        if (string.Equals(replacement, token, StringComparison.Ordinal))
        {
            return response;
        }
        response.Dispose();
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", replacement);
        return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>RFC 6750 §3.1: the token is expired, revoked, malformed or invalid for other reasons.</summary>
    internal static bool SaysInvalidToken(HttpResponseMessage response)
    {
        foreach (var challenge in response.Headers.WwwAuthenticate)
        {
            if (string.Equals(challenge.Scheme, "Bearer", StringComparison.OrdinalIgnoreCase)
                && challenge.Parameter is { } parameter
                && parameter.Replace(" ", string.Empty, StringComparison.Ordinal).Contains("error=\"invalid_token\"", StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>
    /// A 401 means the callee did not act on the request, so it may be sent again when its body can be: no body, or one held in
    /// memory or serialized from a value each time it is sent (which HttpClient sends twice); never a stream read once.
    /// </summary>
    internal static bool CanResend(HttpRequestMessage request)
        => request.Content is null or ByteArrayContent or ReadOnlyMemoryContent or System.Net.Http.Json.JsonContent;
}
