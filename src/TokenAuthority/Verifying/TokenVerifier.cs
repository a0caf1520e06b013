using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TokenAuthority.Binding;
using TokenAuthority.Claims;
using TokenAuthority.Diagnostics;
using TokenAuthority.Errors;
using TokenAuthority.Keys;
using TokenAuthority.Model;

namespace TokenAuthority.Verifying;

/// <summary>
/// The Kubernetes service-account authenticator (kubernetes/kubernetes pkg/serviceaccount jwt.go and
/// claims.go), step for step: issuer pre-check, key selection by <c>kid</c>, signature with the one
/// algorithm the key fixes, audience intersection, time claims with 60 s leeway, service account,
/// bound object, stale <c>warnafter</c>.
/// </summary>
internal sealed class TokenVerifier : ITokenVerifier
{
    /// <summary>Clock skew allowed on <c>nbf</c>, <c>exp</c>, <c>iat</c> and deletion (go-jose's DefaultLeeway).</summary>
    public const long LeewaySeconds = 60;

    private readonly ITokenKeySetProvider _keys;
    private readonly BoundObjectLookup _lookup;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly TokenAuthorityMetrics _metrics;
    private readonly HashSet<string> _issuers;
    private readonly IReadOnlyList<string> _apiAudiences;
    private readonly BoundObjectKindTable _kinds;

    public TokenVerifier(
        IOptions<TokenAuthorityOptions> options,
        ITokenKeySetProvider keys,
        BoundObjectLookup lookup,
        TimeProvider timeProvider,
        ILogger<TokenVerifier> logger,
        TokenAuthorityMetrics metrics)
    {
        var o = options.Value;
        _keys = keys;
        _lookup = lookup;
        _time = timeProvider;
        _logger = logger;
        _metrics = metrics;
        _issuers = new HashSet<string>(o.AllIssuers(), StringComparer.Ordinal);
        _apiAudiences = o.EffectiveApiAudiences();
        _kinds = new BoundObjectKindTable(o.BoundObjectKinds);
    }

    /// <inheritdoc />
    public async ValueTask<TokenVerificationResult> VerifyAsync(string token, IReadOnlyList<string>? audiences = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(token);
        using var activity = TokenAuthorityActivitySource.StartVerify();
        var started = _time.GetTimestamp();
        var result = await VerifyCoreAsync(token, audiences, cancellationToken).ConfigureAwait(false);
        _metrics.Verified(result.Failure, _time.GetElapsedTime(started));
        TokenAuthorityActivitySource.Verified(activity, result);
        if (result.Outcome == TokenVerificationOutcome.Rejected)
        {
            _logger.VerificationFailed(result.Failure, result.LogDetail ?? result.Error ?? string.Empty);
        }

        return result;
    }

    private async ValueTask<TokenVerificationResult> VerifyCoreAsync(string token, IReadOnlyList<string>? audiences, CancellationToken ct)
    {
        // 1-2. Issuer pre-check on the unverified token; anything else is not ours.
        using var jws = CompactJws.TryParse(token);
        if (jws is null
            || !jws.Payload.RootElement.TryGetProperty("iss", out var iss)
            || iss.ValueKind != JsonValueKind.String
            || !_issuers.Contains(iss.GetString()!))
        {
            return TokenVerificationResult.NotRecognized;
        }

        // 3. Keys whose id matches the kid; all keys only when the token names none.
        var kid = jws.KeyId;
        var keys = _keys.Current.VerificationKeys;
        var candidates = string.IsNullOrEmpty(kid) ? keys : keys.Where(k => string.Equals(k.KeyId, kid, StringComparison.Ordinal)).ToArray();
        if (candidates.Count == 0)
        {
            return TokenVerificationResult.Reject(TokenVerificationFailure.InvalidSignature, TokenVerificationErrors.NoKeysFound);
        }

        // 4. The algorithm must be the one the key fixes: never "none", never HMAC, never a downgrade.
        var alg = jws.Algorithm;
        var verified = alg is not null && !jws.HasCriticalParameters
            && candidates.Any(k => k.Verify(alg, jws.SigningInput, jws.Signature));
        if (!verified)
        {
            return TokenVerificationResult.Reject(TokenVerificationFailure.InvalidSignature, TokenVerificationErrors.CryptoError);
        }

        var claims = ClaimsSerializer.Read(jws.Payload.RootElement, _kinds, out var unknownBinding);
        if (unknownBinding is not null)
        {
            // A binding nobody can check must not pass as a plain service-account token: it would outlive its object.
            return TokenVerificationResult.Reject(
                TokenVerificationFailure.UnknownBinding,
                TokenVerificationErrors.UnknownBinding(unknownBinding));
        }

        if (claims is null)
        {
            return TokenVerificationResult.Reject(TokenVerificationFailure.InvalidSignature, TokenVerificationErrors.UndecodableClaims);
        }

        // 5. Re-check the issuer on the verified claims.
        if (!_issuers.Contains(claims.Issuer))
        {
            return TokenVerificationResult.Reject(TokenVerificationFailure.InvalidIssuer, TokenVerificationErrors.InvalidIssuer(claims.Issuer), claims);
        }

        // 6. Audiences: the intersection, in the order of the requested list.
        var tokenAudiences = claims.Audiences;
        if (tokenAudiences.Count == 0)
        {
            _metrics.LegacyToken();
            tokenAudiences = _apiAudiences;
        }

        // A null entry (JSON null in a TokenReview's spec.audiences) is "", as Go decodes it; never a null reference.
        var requested = audiences is { Count: > 0 } ? audiences.Select(a => a ?? string.Empty).ToArray() : _apiAudiences;
        // A set: a TokenReview may name a megabyte of audiences, and the token thousands (linear, not their product).
        var tokenAudienceSet = tokenAudiences.ToHashSet(StringComparer.Ordinal);
        var accepted = requested.Where(tokenAudienceSet.Contains).Distinct(StringComparer.Ordinal).ToArray();
        if (accepted.Length == 0)
        {
            return TokenVerificationResult.Reject(
                TokenVerificationFailure.InvalidAudience,
                TokenVerificationErrors.InvalidAudience(tokenAudiences, requested),
                claims);
        }

        // 7. Time claims with 60 s leeway, in go-jose's order.
        var now = _time.GetUtcNow();
        var nowSeconds = now.ToUnixTimeSeconds();
        if (claims.NotBefore is { } nbf && nowSeconds + LeewaySeconds < nbf)
        {
            return TokenVerificationResult.Reject(TokenVerificationFailure.NotYetValid, TokenVerificationErrors.NotYetValid, claims);
        }

        // go-jose compares the full clock: at exp + 60.5 s the token has expired (nbf and iat agree with
        // the whole-second comparison, since the clock's fraction can only make them later).
        var pastWholeSecond = now.UtcTicks % TimeSpan.TicksPerSecond != 0;
        if (claims.Expires is { } exp && (nowSeconds - LeewaySeconds > exp || (nowSeconds - LeewaySeconds == exp && pastWholeSecond)))
        {
            return TokenVerificationResult.Reject(TokenVerificationFailure.Expired, TokenVerificationErrors.Expired, claims);
        }

        if (claims.IssuedAt is { } iat && nowSeconds + LeewaySeconds < iat)
        {
            return TokenVerificationResult.Reject(TokenVerificationFailure.IssuedInFuture, TokenVerificationErrors.IssuedInFuture, claims);
        }

        // 8-13. The service account and the bound object must still exist with the same uid.
        var cutoff = now.AddSeconds(-LeewaySeconds);
        var objectFailure = await CheckObjectsAsync(claims, cutoff, ct).ConfigureAwait(false);
        if (objectFailure is not null)
        {
            return objectFailure with { Claims = claims };
        }

        // 14. Extended tokens used after warnafter are stale: counted and logged, never refused.
        var stale = false;
        if (claims.WarnAfter is { } warnAfter and not 0)
        {
            stale = nowSeconds > warnAfter;
            _metrics.ExtendedToken(stale);
            if (stale)
            {
                _logger.StaleTokenUsed(claims.Subject, nowSeconds - warnAfter);
            }
        }

        // 15. The user.
        return new TokenVerificationResult
        {
            Outcome = TokenVerificationOutcome.Authenticated,
            Identity = global::TokenAuthority.Identity.ServiceAccountIdentity.FromClaims(claims, accepted),
            Audiences = accepted,
            Claims = claims,
            IsStale = stale,
        };
    }

    private async ValueTask<TokenVerificationResult?> CheckObjectsAsync(ServiceAccountTokenClaims claims, DateTimeOffset cutoff, CancellationToken ct)
    {
        var ns = claims.Namespace;
        var sa = claims.ServiceAccount;
        var saLookup = await _lookup.LookupAsync(new BoundObjectKey(BoundObjectKinds.ServiceAccount, ns, sa.Name), ct).ConfigureAwait(false);
        if (saLookup.Failed)
        {
            return Unavailable("serviceaccount");
        }

        if (saLookup.Object is not { } account)
        {
            return TokenVerificationResult.Reject(TokenVerificationFailure.ServiceAccountNotFound, TokenVerificationErrors.ServiceAccountNotFound(sa.Name));
        }

        if (!string.Equals(account.Uid, sa.Uid, StringComparison.Ordinal))
        {
            // Kubernetes' text names the live uid; the caller holds only the old token and learns only that it is stale.
            return TokenVerificationResult.Reject(
                TokenVerificationFailure.ServiceAccountUidMismatch,
                TokenVerificationErrors.ServiceAccountUidMismatch(sa.Uid),
                logDetail: $"service account UID ({account.Uid}) does not match claim ({sa.Uid})");
        }

        if (account.DeletionTimestamp is { } saDeleted && saDeleted < cutoff)
        {
            return TokenVerificationResult.Reject(TokenVerificationFailure.ServiceAccountDeleted, TokenVerificationErrors.ServiceAccountDeleted(ns, sa.Name));
        }

        // The bound object, whatever its kind; the node a pod runs on is information only (not looked up).
        if (claims.BoundObject is { } bound)
        {
            var kind = _kinds.Get(bound.Kind);
            var key = new BoundObjectKey(kind.Kind, kind.Namespaced ? ns : null, bound.Reference.Name);
            var failure = await CheckBoundAsync(key, bound.Reference, bound.ClaimName, cutoff, ct).ConfigureAwait(false);
            if (failure is not null)
            {
                return failure;
            }
        }

        return null;
    }

    private async ValueTask<TokenVerificationResult?> CheckBoundAsync(BoundObjectKey key, ObjectReferenceClaim claim, string label, DateTimeOffset cutoff, CancellationToken ct)
    {
        var lookup = await _lookup.LookupAsync(key, ct).ConfigureAwait(false);
        if (lookup.Failed)
        {
            return Unavailable(label);
        }

        if (lookup.Object is not { } live)
        {
            return TokenVerificationResult.Reject(TokenVerificationFailure.BoundObjectInvalidated, TokenVerificationErrors.Invalidated);
        }

        if (!string.Equals(live.Uid, claim.Uid, StringComparison.Ordinal))
        {
            return TokenVerificationResult.Reject(
                TokenVerificationFailure.BoundObjectUidMismatch,
                TokenVerificationErrors.BoundObjectUidMismatch(label, claim.Uid),
                logDetail: $"{label} UID ({live.Uid}) does not match service account {label} ref claim ({claim.Uid})");
        }

        return live.DeletionTimestamp is { } deleted && deleted < cutoff
            ? TokenVerificationResult.Reject(TokenVerificationFailure.BoundObjectInvalidated, TokenVerificationErrors.Invalidated)
            : null;
    }

    // Which lookup failed, and how, is the resolver's state: it goes to the log, not to the caller.
    private static TokenVerificationResult Unavailable(string label) => TokenVerificationResult.Reject(
        TokenVerificationFailure.ResolverUnavailable,
        TokenVerificationErrors.ResolverUnavailable,
        logDetail: $"{TokenVerificationErrors.ResolverUnavailable}: the {label} lookup failed or timed out");
}
