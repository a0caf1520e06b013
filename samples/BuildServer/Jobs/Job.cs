namespace TokenAuthority.Samples.BuildServer.Jobs;

/// <summary>One row of the jobs table.</summary>
/// <param name="Name">The job's name, <c>job-&lt;id&gt;</c>; never reused.</param>
/// <param name="Namespace">The namespace, <c>ci</c>.</param>
/// <param name="Uid">A new uid for every job; its tokens carry it.</param>
/// <param name="ServiceAccountName">The service account the job runs as.</param>
/// <param name="State">Running or completed.</param>
/// <param name="CreatedAt">When the job was created.</param>
/// <param name="CompletedAt">When the job was completed, if it was.</param>
internal sealed record Job(
    string Name,
    string Namespace,
    string Uid,
    string ServiceAccountName,
    JobState State,
    DateTimeOffset CreatedAt,
    DateTimeOffset? CompletedAt);
