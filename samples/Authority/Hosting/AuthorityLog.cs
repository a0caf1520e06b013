namespace TokenAuthority.Samples.Authority.Hosting;

/// <summary>Source-generated log messages of the Authority sample (5xxx).</summary>
internal static partial class AuthorityLog
{
    [LoggerMessage(5001, LogLevel.Information, "Wrote {Path}.")]
    public static partial void FileWritten(this ILogger logger, string path);

    [LoggerMessage(5002, LogLevel.Information, "Data directory {DataDirectory}; objects in {Database}.")]
    public static partial void DataDirectoryReady(this ILogger logger, string dataDirectory, string database);

    [LoggerMessage(5003, LogLevel.Information, "Token authority listening on {Addresses}; issuer {Issuer}.")]
    public static partial void Listening(this ILogger logger, string addresses, string issuer);

    [LoggerMessage(5004, LogLevel.Information, "kubeconfig: {KubeconfigPath} (admin token in {AdminTokenPath}, CA certificate in {CertificatePath}).")]
    public static partial void KubeconfigReady(this ILogger logger, string kubeconfigPath, string adminTokenPath, string certificatePath);

    [LoggerMessage(5006, LogLevel.Information, "Reviewer token (TokenReview only, for services such as OrdersApi) in {ReviewerTokenPath}.")]
    public static partial void ReviewerTokenReady(this ILogger logger, string reviewerTokenPath);

    [LoggerMessage(5005, LogLevel.Information, "Try it: kubectl --kubeconfig {KubeconfigPath} create token default")]
    public static partial void TryIt(this ILogger logger, string kubeconfigPath);

    [LoggerMessage(5007, LogLevel.Information, "Denied {User}: {Verb} {Resource} {Scope}. Service accounts may only get and list pods and service accounts of their own namespace.")]
    public static partial void ServiceAccountDenied(this ILogger logger, string user, string verb, string resource, string scope);

    [LoggerMessage(5008, LogLevel.Warning, "The key directory {SigningKeyPath} was missing but {DatabasePath} is from an earlier start: a new key was generated and every earlier token will fail with \"no keys found\". Stop the Authority and restore the old keys directory from a backup to have them verify, or issue new tokens.")]
    public static partial void SigningKeyReplaced(this ILogger logger, string signingKeyPath, string databasePath);

    [LoggerMessage(5009, LogLevel.Information, "Refused the bearer token of {Method} {Path} from {ClientAddress} (scheme {Scheme}): invalid bearer token (it is not the admin token nor the reviewer token).")]
    public static partial void AdminTokenRefused(this ILogger logger, string scheme, string method, string path, string clientAddress);

    [LoggerMessage(5010, LogLevel.Warning, "Listening beyond loopback without --AllowNonLoopback true: {Detail}")]
    public static partial void ListeningBeyondLoopback(this ILogger logger, string detail);
}
