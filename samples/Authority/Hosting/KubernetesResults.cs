using TokenAuthority.Errors;
using TokenAuthority.Samples.Authority.ObjectsApi;

namespace TokenAuthority.Samples.Authority.Hosting;

/// <summary>Turns errors into Kubernetes <c>v1 Status</c> responses, which kubectl and the client libraries understand.</summary>
internal static class KubernetesResults
{
    // Quotes unescaped as kube-apiserver writes them; safe for application/json served with nosniff.
    private static readonly ObjectsJsonContext Json = ObjectsJsonContext.Relaxed;

    /// <summary>A <c>Status</c> response with the error's code.</summary>
    public static IResult Status(KubernetesError error) =>
        Results.Json(error.ToStatus(), Json.Status, statusCode: error.Code);

    /// <summary>Writes a <c>Status</c> body directly (for middleware and authentication handlers).</summary>
    public static Task WriteAsync(HttpResponse response, KubernetesError error)
    {
        response.StatusCode = error.Code;
        return response.WriteAsJsonAsync(error.ToStatus(), Json.Status, contentType: "application/json", response.HttpContext.RequestAborted);
    }

    /// <summary>The generic error for a status code that has no more specific one, worded as kube-apiserver does.</summary>
    public static KubernetesError ForStatusCode(int code) => code switch
    {
        StatusCodes.Status401Unauthorized => KubernetesError.Unauthorized(),
        StatusCodes.Status403Forbidden => new KubernetesError { Code = code, Reason = "Forbidden", Message = "forbidden" },
        StatusCodes.Status404NotFound => new KubernetesError { Code = code, Reason = "NotFound", Message = "the server could not find the requested resource" },
        StatusCodes.Status405MethodNotAllowed => new KubernetesError { Code = code, Reason = "MethodNotAllowed", Message = "the server does not allow this method on the requested resource" },
        StatusCodes.Status413PayloadTooLarge => new KubernetesError { Code = code, Reason = "RequestEntityTooLarge", Message = "the request is too large" },
        StatusCodes.Status415UnsupportedMediaType => new KubernetesError { Code = code, Reason = "UnsupportedMediaType", Message = "the body of the request was in an unknown format - accepted media types include: application/json" },
        >= 500 => KubernetesError.Internal("an error on the server has prevented the request from succeeding"),
        _ => new KubernetesError { Code = code, Reason = "BadRequest", Message = "the server rejected our request for an unknown reason" },
    };
}
