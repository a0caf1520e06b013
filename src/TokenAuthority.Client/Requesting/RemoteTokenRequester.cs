using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using TokenAuthority.Model;

namespace TokenAuthority.Client;

/// <summary>
/// Requests tokens from a remote authority over the Kubernetes TokenRequest API
/// (<c>POST /api/v1/namespaces/{namespace}/serviceaccounts/{name}/token</c>, JSON); a refusal becomes a
/// <see cref="TokenRequestException"/> carrying the authority's Status.
/// </summary>
internal sealed class RemoteTokenRequester(HttpClient httpClient, RemoteTokenAuthorityEndpoint endpoint) : ITokenRequester
{
    public const string HttpClientName = "TokenAuthority.Client.RemoteAuthority";

    public async ValueTask<TokenRequest> RequestTokenAsync(string namespaceName, string name, TokenRequestSpec spec, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(namespaceName);
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(spec);
        var path = string.Create(CultureInfo.InvariantCulture,
            $"api/v1/namespaces/{Uri.EscapeDataString(namespaceName)}/serviceaccounts/{Uri.EscapeDataString(name)}/token");
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(BaseAddress(endpoint.Server), path))
        {
            Content = JsonContent.Create(new TokenRequest { Spec = spec }, KubernetesJsonContext.Default.TokenRequest),
        };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (await endpoint.GetBearerTokenAsync(cancellationToken).ConfigureAwait(false) is { Length: > 0 } credential)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", credential);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(endpoint.Timeout);
        HttpResponseMessage response;
        try
        {
            response = await httpClient.SendAsync(request, timeout.Token).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw new TokenRequestException(namespaceName, name, $"the authority at {endpoint.Server} could not be reached ({e.Message}).", e);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TokenRequestException(namespaceName, name, $"the authority at {endpoint.Server} did not answer within {endpoint.Timeout}.", e);
        }

        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            if (response.IsSuccessStatusCode)
            {
                var answer = Deserialize(body, KubernetesJsonContext.Default.TokenRequest);
                return answer is { Status.Token.Length: > 0 }
                    ? answer
                    : throw new TokenRequestException(namespaceName, name, $"the authority answered {(int)response.StatusCode} without a token.");
            }
            var status = Deserialize(body, KubernetesJsonContext.Default.Status);
            throw status is { Message: not null }
                ? new TokenRequestException(namespaceName, name, status)
                : new TokenRequestException(namespaceName, name, new Status
                {
                    Code = (int)response.StatusCode,
                    Reason = response.ReasonPhrase,
                    Message = body.Length is > 0 and < 512 ? body.Trim() : $"HTTP {(int)response.StatusCode}",
                });
        }
    }

    private static Uri BaseAddress(Uri server)
        => server.AbsoluteUri.EndsWith('/') ? server : new Uri(server.AbsoluteUri + "/");

    private static T? Deserialize<T>(string body, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> typeInfo)
    {
        try
        {
            return JsonSerializer.Deserialize(body, typeInfo);
        }
        catch (JsonException)
        {
            return default;
        }
    }
}
