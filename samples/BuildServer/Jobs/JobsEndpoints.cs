using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using TokenAuthority.Binding;
using TokenAuthority.Issuing;
using TokenAuthority.Model;
using TokenAuthority.Samples.BuildServer.Hosting;

namespace TokenAuthority.Samples.BuildServer.Jobs;

/// <summary>
/// <c>POST /jobs</c> creates a job and returns a token for it; <c>GET /jobs/{job}</c> reads one;
/// <c>POST /jobs/{job}/complete</c> ends it, and with it every token bound to it.
/// </summary>
internal static class JobsEndpoints
{
    /// <summary>Maps the jobs API and returns its group, for conventions such as authorization.</summary>
    public static RouteGroupBuilder MapJobs(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/jobs");
        group.MapPost("", CreateAsync).WithName("createJob");
        group.MapGet("/{job}", GetAsync).WithName("readJob");
        group.MapPost("/{job}/complete", CompleteAsync).WithName("completeJob");
        return group;
    }

    private static async Task<IResult> CreateAsync(JobStore store, ITokenIssuer issuer, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var job = await store.CreateAsync(cancellationToken);

        // The job's service account, bound to the job (by name and uid), for the artifacts API only, for ten minutes.
        var token = await issuer.IssueAsync(job.Namespace, job.ServiceAccountName, new TokenRequestSpec
        {
            Audiences = [JobBinding.ArtifactsAudience],
            ExpirationSeconds = JobBinding.TokenLifetimeSeconds,
            BoundObjectRef = new() { Kind = JobBinding.Kind, ApiVersion = JobBinding.ApiVersion, Name = job.Name, Uid = job.Uid },
        }, cancellationToken: cancellationToken);

        Logger(loggers).JobCreated(job.Name, job.Uid, $"{job.Namespace}/{job.ServiceAccountName}", JobBinding.ArtifactsAudience,
            token.ExpirationTimestamp?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture) ?? "-");
        return TypedResults.Created($"/jobs/{job.Name}", CreatedJobResponse.From(job, token));
    }

    private static async Task<IResult> GetAsync(string job, JobStore store, CancellationToken cancellationToken) =>
        await store.GetAsync(job, cancellationToken) is { } found
            ? TypedResults.Ok(JobResponse.From(found))
            : NotFound(job);

    private static async Task<IResult> CompleteAsync(string job, JobStore store, IBoundObjectCacheInvalidator cache, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        if (await store.CompleteAsync(job, cancellationToken) is { } completed)
        {
            // After the change commits: the job's tokens are refused from the very next request, not after the cache's TTL.
            cache.Invalidate(new BoundObjectKey(JobBinding.Kind, completed.Namespace, completed.Name));
            Logger(loggers).JobCompleted(completed.Name, completed.Uid);
            return TypedResults.Ok(JobResponse.From(completed));
        }

        return await store.GetAsync(job, cancellationToken) is null
            ? NotFound(job)
            : TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, detail: $"job \"{job}\" has already completed");
    }

    private static ProblemHttpResult NotFound(string job) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, detail: $"job \"{job}\" not found");

    private static ILogger Logger(ILoggerFactory loggers) => loggers.CreateLogger(typeof(JobsEndpoints).FullName!);
}
