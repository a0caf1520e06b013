namespace TokenAuthority.Samples.Authority.Hosting;

/// <summary>
/// <c>--help</c>, <c>-h</c> and <c>-?</c>: the usage text with every setting and its default. Checked before the host
/// or the data directory is touched, so asking for help never starts a server or writes a file.
/// </summary>
internal static class AuthorityUsage
{
    /// <summary>The usage text, one setting per line with its default.</summary>
    public const string Text = """
        Usage: dotnet run --project samples/Authority -- [settings]

        A Kubernetes-compatible token authority (TokenRequest, TokenReview, discovery, JWKS, an objects API).
        Settings are standard ASP.NET Core configuration: command line (--Key value), environment, appsettings.json.

        Settings (default):
          --urls URLS                                  where to listen; the first https URL is the issuer and the kubeconfig's server (https://127.0.0.1:8443)
          --AllowNonLoopback BOOL                      binding beyond loopback (0.0.0.0, [::], a host name in --urls) is intended; otherwise a warning (false)
          --DataDirectory DIR                          keys, certificate, tokens, kubeconfig and objects.db; relative to the project folder (samples/Authority/.data)
          --Storage:Provider Sqlite|PostgreSql         where objects and key ring live: DATA/objects.db and DATA/keys, or PostgreSQL (Sqlite)
          --Storage:ConnectionString STRING            the PostgreSQL connection string; required with PostgreSql (none)
          --Storage:DataProtectionKeys DIR             with PostgreSql: keys encrypting the ring; shared by Authorities on one database (DATA/dataprotection-keys)
          --TokenAuthority:Issuer URL                  iss of new tokens and of discovery (the first https URL)
          --TokenAuthority:AcceptedIssuers:0 URL       further issuers whose tokens still verify (none)
          --TokenAuthority:ApiAudiences:0 AUDIENCE     audiences a request gets when it names none (the issuers)
          --TokenAuthority:MaxExpirationSeconds N      cap on token lifetimes; 0 is no cap (86400)
          --TokenAuthority:ExtendExpiration BOOL       pod-bound 3607 s tokens get a one-year exp plus warnafter (true)
          --TokenAuthority:MaxExtendedExpirationSeconds N  lifetime of extended tokens (31536000)
          --TokenAuthority:Keys:Directory DIR          the managed key directory, rotated on schedule (DIR/keys; an old DIR/sa.key is imported)
          --TokenAuthority:Keys:RotationInterval TIME  how long a key signs before its successor (7.00:00:00)
          --TokenAuthority:Keys:JwksMaxAge TIME        the JWKS Cache-Control max-age; a key is published this long before it signs (01:00:00)
          --TokenAuthority:SigningKeyFile FILE         one fixed private signing key, PEM, instead of the key directory (none)
          --TokenAuthority:VerificationKeyFiles:0 FILE further public keys whose tokens still verify (none)
          --TokenAuthority:JwksUri URL                 the jwks_uri published in discovery (ISSUER/openid/v1/jwks)
          --TokenAuthority:ResolverTimeout TIME        how long one bound-object lookup may take (00:00:05)
          --TokenAuthority:Endpoints:TokenRequestRateLimit:Enabled BOOL  limit TokenRequest per caller; over it: 429 with Retry-After (true)
          --TokenAuthority:Endpoints:TokenRequestRateLimit:TokenLimit N  TokenRequests one caller may make at once (200)
          --TokenAuthority:Endpoints:TokenRequestRateLimit:TokensPerPeriod N  given back to each caller every period (100)
          --TokenAuthority:Endpoints:TokenRequestRateLimit:ReplenishmentPeriod TIME  the period (00:00:01)
          --help, -h, -?                               print this text and exit

        More: docs/samples.md (the Authority's settings and troubleshooting) and the README's configuration reference.
        """;

    /// <summary>Whether any argument asks for help, wherever it stands (<c>--help --urls X</c> included).</summary>
    public static bool IsRequested(IEnumerable<string> args) =>
        args.Any(a => a is "--help" or "-h" or "-?" or "/?" || a.StartsWith("--help=", StringComparison.Ordinal));
}
