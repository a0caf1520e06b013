using System.Text.Json.Serialization;
using TokenAuthority.Model;

namespace TokenAuthority.Samples.BuildServer.Jobs;

/// <summary>
/// What <c>POST /jobs</c> returns: the new job and its token. Flat, with the token last, so that a shell can pick
/// <c>"job"</c> and <c>"token"</c> out of it with <c>sed</c>.
/// </summary>
internal sealed record CreatedJobResponse(
    string Job,
    string Uid,
    string Namespace,
    string ServiceAccount,
    [property: JsonConverter(typeof(JsonStringEnumConverter<JobState>))] JobState State,
    [property: JsonConverter(typeof(KubernetesTimeConverter))] DateTimeOffset? CreatedAt,
    string Audience,
    [property: JsonConverter(typeof(KubernetesTimeConverter))] DateTimeOffset? ExpirationTimestamp,
    string Token)
{
    public static CreatedJobResponse From(Job job, TokenRequestStatus token) =>
        new(job.Name, job.Uid, job.Namespace, job.ServiceAccountName, job.State, job.CreatedAt, JobBinding.ArtifactsAudience, token.ExpirationTimestamp, token.Token);
}
