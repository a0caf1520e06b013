using System.Text.Json.Serialization;
using TokenAuthority.Model;

namespace TokenAuthority.Samples.BuildServer.Jobs;

/// <summary>A job as <c>GET /jobs/{job}</c> and <c>POST /jobs/{job}/complete</c> return it.</summary>
internal sealed record JobResponse(
    string Job,
    string Uid,
    string Namespace,
    string ServiceAccount,
    [property: JsonConverter(typeof(JsonStringEnumConverter<JobState>))] JobState State,
    [property: JsonConverter(typeof(KubernetesTimeConverter))] DateTimeOffset? CreatedAt,
    [property: JsonConverter(typeof(KubernetesTimeConverter))] DateTimeOffset? CompletedAt)
{
    public static JobResponse From(Job job) =>
        new(job.Name, job.Uid, job.Namespace, job.ServiceAccountName, job.State, job.CreatedAt, job.CompletedAt);
}
