namespace TokenAuthority.Validation;

/// <summary>Default values of the TokenReview authentication scheme.</summary>
public static class TokenReviewAuthenticationDefaults
{
    /// <summary>The default scheme name: <c>TokenReview</c>.</summary>
    public const string AuthenticationScheme = "TokenReview";

    /// <summary>The path of the TokenReview endpoint under the authority's base URL.</summary>
    public const string TokenReviewPath = "/apis/authentication.k8s.io/v1/tokenreviews";

    /// <summary>How long a positive answer is reused by default (10 s, as kube-apiserver caches token authentications).</summary>
    public static readonly TimeSpan CacheDuration = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How many answers the cache keeps by default (10 000: a few MB; each answer holds a user name, uid, groups and
    /// extras). Size it to the distinct tokens one replica sees within <see cref="CacheDuration"/>.
    /// </summary>
    public const int CacheSizeLimit = 10_000;

    /// <summary>The longest <see cref="TokenReviewAuthenticationOptions.CacheDuration"/> accepted (5 minutes).</summary>
    public static readonly TimeSpan MaxCacheDuration = TimeSpan.FromMinutes(5);
}
