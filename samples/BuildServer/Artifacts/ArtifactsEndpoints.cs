using TokenAuthority.Samples.BuildServer.Hosting;
using TokenAuthority.Samples.BuildServer.Security;
using TokenAuthority.Validation;

namespace TokenAuthority.Samples.BuildServer.Artifacts;

/// <summary>
/// The artifacts API, for job tokens only: <c>PUT /artifacts/{job}/{name}</c> by the job itself,
/// <c>GET /artifacts/{job}/{name}</c> and <c>GET /artifacts/{job}</c> by any running job (a later job downloads what
/// an earlier one built).
/// </summary>
internal static class ArtifactsEndpoints
{
    public static IEndpointRouteBuilder MapArtifacts(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/artifacts/{job}");
        group.MapPut("/{name}", PutAsync).RequireAuthorization(BuildServerPolicies.OwnJob).WithName("putArtifact");
        group.MapGet("/{name}", GetAsync).RequireAuthorization(BuildServerPolicies.JobToken).WithName("readArtifact");
        group.MapGet("", ListAsync).RequireAuthorization(BuildServerPolicies.JobToken).WithName("listArtifacts");
        return endpoints;
    }

    private static async Task<IResult> PutAsync(string job, string name, HttpContext context, ArtifactStore store, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        if (!ArtifactName.IsValid(name))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, detail: ArtifactName.Rule);
        }

        var content = await ReadBodyAsync(context.Request, cancellationToken);
        if (content is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, detail: $"an artifact may have at most {ArtifactStore.MaxBytes} bytes");
        }

        // The policy let only a verified token bound to this very job through; its identity carries the job's uid.
        var caller = context.GetTokenVerificationResult()!.Identity!;
        var result = await store.PutAsync(job, caller.BoundObject!.Uid, name, content, cancellationToken);
        if (result.Artifact is not { } artifact)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, detail: $"job \"{job}\" has completed");
        }

        Logger(loggers).ArtifactStored(job, name, artifact.Size, artifact.Sha256, caller.Username);
        return result.Outcome == PutOutcome.Created
            ? TypedResults.Created($"/artifacts/{job}/{name}", artifact)
            : TypedResults.Ok(artifact);
    }

    private static async Task<IResult> GetAsync(string job, string name, HttpContext context, ArtifactStore store, CancellationToken cancellationToken)
    {
        if (!ArtifactName.IsValid(name))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, detail: ArtifactName.Rule);
        }

        if (await store.GetContentAsync(job, name, cancellationToken) is not { } content)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, detail: $"artifact \"{job}/{name}\" not found");
        }

        // Uploads are arbitrary bytes: served as a download, never as something a browser would render.
        context.Response.Headers.XContentTypeOptions = "nosniff";
        return TypedResults.File(content, "application/octet-stream", fileDownloadName: name);
    }

    private static async Task<IResult> ListAsync(string job, ArtifactStore store, CancellationToken cancellationToken) =>
        TypedResults.Ok(new ArtifactList(job, await store.ListAsync(job, cancellationToken)));

    /// <summary>Reads the body, or returns <see langword="null"/> as soon as it exceeds <see cref="ArtifactStore.MaxBytes"/>.</summary>
    private static async Task<byte[]?> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > ArtifactStore.MaxBytes)
        {
            return null;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
            {
                if (buffer.Length + read > ArtifactStore.MaxBytes)
                {
                    return null;
                }

                buffer.Write(chunk, 0, read);
            }
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return null; // Kestrel's own limit, the same size
        }

        return buffer.ToArray();
    }

    private static ILogger Logger(ILoggerFactory loggers) => loggers.CreateLogger(typeof(ArtifactsEndpoints).FullName!);
}
