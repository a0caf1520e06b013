using TokenAuthority.Binding;

namespace TokenAuthority.Samples.BuildServer.Jobs;

/// <summary>
/// How jobs and their tokens fit the token authority: a job is an object of a kind this host registers
/// (<c>Job</c> in API group <c>builds.example.com</c>), living in namespace <c>ci</c> and running as service account
/// <c>builder</c>. A job's token is that service account's, bound to the job, for the audience <c>artifacts</c>.
/// </summary>
internal static class JobBinding
{
    /// <summary>The kind, as in <c>boundObjectRef.kind</c> and the <c>kubernetes.io/bound-object-kind</c> claim.</summary>
    public const string Kind = "Job";

    /// <summary>The API group of the kind.</summary>
    public const string Group = "builds.example.com";

    /// <summary>The <c>boundObjectRef.apiVersion</c> of a job (only its group is checked).</summary>
    public const string ApiVersion = Group + "/v1";

    /// <summary>The namespace jobs and their service account live in.</summary>
    public const string Namespace = "ci";

    /// <summary>The service account every job runs as.</summary>
    public const string ServiceAccount = "builder";

    /// <summary>The audience of job tokens, and the only one the artifacts endpoints accept.</summary>
    public const string ArtifactsAudience = "artifacts";

    /// <summary>A job token's lifetime: 600 s, the shortest Kubernetes allows. A job that runs longer asks for a new one.</summary>
    public const long TokenLifetimeSeconds = 600;

    /// <summary>
    /// The kind registered with <c>AddBoundObjectKind</c>. A job runs as a service account, so a token may be bound
    /// to it only for that account (as Kubernetes requires of pods).
    /// </summary>
    public static BoundObjectKind BoundObjectKind { get; } = new()
    {
        Kind = Kind,
        Group = Group,
        Resource = "jobs",
        HasServiceAccount = true,
    };
}
