namespace TokenAuthority.Samples.BuildServer.Hosting;

/// <summary>Source-generated log messages of the BuildServer sample (52xx).</summary>
internal static partial class BuildServerLog
{
    [LoggerMessage(5201, LogLevel.Information, "Wrote {Path}.")]
    public static partial void FileWritten(this ILogger logger, string path);

    [LoggerMessage(5202, LogLevel.Information, "Data directory {DataDirectory}; jobs and artifacts in {Database}.")]
    public static partial void DataDirectoryReady(this ILogger logger, string dataDirectory, string database);

    [LoggerMessage(5203, LogLevel.Information, "BuildServer listening on {Addresses}; issuer {Issuer}, discovery at {Discovery}.")]
    public static partial void Listening(this ILogger logger, string addresses, string issuer, string discovery);

    [LoggerMessage(5204, LogLevel.Information, "Admin token (creates and completes jobs) in {AdminTokenPath}; CA certificate in {CertificatePath}.")]
    public static partial void AdminTokenReady(this ILogger logger, string adminTokenPath, string certificatePath);

    [LoggerMessage(5205, LogLevel.Information, "Try it: curl --cacert {CertificatePath} -H \"Authorization: Bearer $(cat {AdminTokenPath})\" -X POST {Server}/jobs")]
    public static partial void TryIt(this ILogger logger, string certificatePath, string adminTokenPath, string server);

    [LoggerMessage(5210, LogLevel.Information, "Created job {Job} ({Uid}) with a token for {ServiceAccount}, audience {Audience}, expiring at {Expires}.")]
    public static partial void JobCreated(this ILogger logger, string job, string uid, string serviceAccount, string audience, string expires);

    [LoggerMessage(5211, LogLevel.Information, "Completed job {Job} ({Uid}): its tokens are refused from now on.")]
    public static partial void JobCompleted(this ILogger logger, string job, string uid);

    [LoggerMessage(5212, LogLevel.Information, "Stored artifact {Job}/{Name} ({Size} bytes, sha256 {Sha256}) for {Caller}.")]
    public static partial void ArtifactStored(this ILogger logger, string job, string name, long size, string sha256, string caller);

    [LoggerMessage(5213, LogLevel.Information, "Refused the bearer token of {Method} {Path} from {ClientAddress} (scheme {Scheme}): invalid bearer token (it is not the admin token).")]
    public static partial void AdminTokenRefused(this ILogger logger, string scheme, string method, string path, string clientAddress);

    [LoggerMessage(5206, LogLevel.Warning, "Listening beyond loopback without --AllowNonLoopback true: {Detail}")]
    public static partial void ListeningBeyondLoopback(this ILogger logger, string detail);
}
