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
    private readonly BoundObjectCache _lookup;
    private readonly TokenVerificationCache _cache;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly TokenAuthorityMetrics _metrics;
    private readonly HashSet<string> _issuers;
    private readonly string[] _issuerList;
    private readonly IReadOnlyList<string> _apiAudiences;
    private readonly BoundObjectKindTable _kinds;

    public TokenVerifier(
        IOptions<TokenAuthorityOptions> options,
        ITokenKeySetProvider keys,
        BoundObjectCache lookup,
        TokenVerificationCache cache,
        TimeProvider timeProvider,
        ILogger<TokenVerifier> logger,
        TokenAuthorityMetrics metrics)
    {
        var o = options.Value;
        _keys = keys;
        _lookup = lookup;
        _cache = cache;
        _time = timeProvider;
        _logger = logger;
        _metrics = metrics;
        _issuers = new HashSet<string>(o.AllIssuers(), StringComparer.Ordinal);
        _issuerList = [.. _issuers];
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
        // Steps 1-5 depend on the token bytes and the key only: a token verified before skips them (while its key is
        // still in the current set). Everything after runs on every call.
        var keySet = _keys.Current;
        TokenVerificationCacheEntry? entry = null;
        ServiceAccountTokenClaims claims;
        if (_cache.Enabled && _cache.TryGet(token, keySet, out var hit))
        {
            entry = hit;
            claims = hit.Claims;
        }
        else
        {
            var failure = VerifySignatureAndClaims(token, keySet, out var parsed, out var key);
            if (failure is not null)
            {
                return failure;
            }

            claims = parsed!;
            if (_cache.Enabled)
            {
                _cache.Add(token, claims, key!, keySet);
            }
        }

        // 6. Audiences: the intersection, in the order of the requested list.
        var tokenAudiences = claims.Audiences;
        if (tokenAudiences.Count == 0)
        {
            _metrics.LegacyToken();
            tokenAudiences = _apiAudiences;
        }

        var requested = audiences is { Count: > 0 } ? audiences : _apiAudiences;
        var last = entry?.LastSuccess;
        string[] accepted;
        if (last is not null && SameList(last.Item1, requested))
        {
            // The same question as last time: the same (non-empty) answer, a pure function of the claims and the list.
            accepted = (string[])last.Item2.Audiences;
        }
        else
        {
            accepted = Intersect(requested, tokenAudiences);
            last = null;
            if (accepted.Length == 0)
            {
                return TokenVerificationResult.Reject(
                    TokenVerificationFailure.InvalidAudience,
                    TokenVerificationErrors.InvalidAudience(tokenAudiences, NullsAsEmpty(requested)),
                    claims);
            }
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
            // Dropped at its exp: an expired token is never served from the cache again.
            if (entry is not null)
            {
                _cache.Remove(entry);
            }

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

        // 15. The user. Every check above has passed again, so the answer given last time for the same question is
        // the answer now (it is immutable and holds nothing that depends on the clock but staleness).
        if (last is not null && last.Item2.IsStale == stale)
        {
            return last.Item2;
        }

        var result = new TokenVerificationResult
        {
            Outcome = TokenVerificationOutcome.Authenticated,
            Identity = global::TokenAuthority.Identity.ServiceAccountIdentity.FromClaims(claims, accepted),
            Audiences = accepted,
            Claims = claims,
            IsStale = stale,
        };
        if (entry is not null)
        {
            entry.LastSuccess = Tuple.Create(NullsAsEmpty(requested).ToArray(), result);
        }

        return result;
    }

    /// <summary>Steps 1-5: issuer pre-check, key by kid, signature under the key's one algorithm, claims, issuer.</summary>
    private TokenVerificationResult? VerifySignatureAndClaims(string token, TokenKeySet keySet, out ServiceAccountTokenClaims? claims, out TokenKey? verifiedBy)
    {
        claims = null;
        verifiedBy = null;

        // 1-2. Issuer pre-check on the unverified token; anything else is not ours.
        if (!CompactJws.TryParse(token, out var jws))
        {
            return TokenVerificationResult.NotRecognized;
        }

        using var _ = jws;
        if (!jws.IssuerIsOneOf(_issuerList))
        {
            return TokenVerificationResult.NotRecognized;
        }

        // 3. Keys whose id matches the kid; all keys only when the token names none.
        var keys = keySet.VerificationKeys;
        var anyKey = !jws.HasKeyId;
        var candidates = 0;

        // 4. The algorithm must be the one the key fixes: never "none", never HMAC, never a downgrade.
        var alg = jws.Algorithm;
        for (var i = 0; i < keys.Count && verifiedBy is null; i++)
        {
            var key = keys[i];
            if (!anyKey && !jws.KeyIdIs(key.KeyId))
            {
                continue;
            }

            candidates++;
            if (alg is not null && !jws.HasCriticalParameters && key.Verify(alg, jws.SigningInput, jws.Signature))
            {
                verifiedBy = key;
            }
        }

        if (candidates == 0)
        {
            return TokenVerificationResult.Reject(TokenVerificationFailure.InvalidSignature, TokenVerificationErrors.NoKeysFound);
        }

        if (verifiedBy is null)
        {
            return TokenVerificationResult.Reject(TokenVerificationFailure.InvalidSignature, TokenVerificationErrors.CryptoError);
        }

        var read = ClaimsSerializer.Read(jws.Payload, _kinds, out var unknownBinding);
        if (unknownBinding is not null)
        {
            // A binding nobody can check must not pass as a plain service-account token: it would outlive its object.
            return TokenVerificationResult.Reject(
                TokenVerificationFailure.UnknownBinding,
                TokenVerificationErrors.UnknownBinding(unknownBinding));
        }

        if (read is null)
        {
            return TokenVerificationResult.Reject(TokenVerificationFailure.InvalidSignature, TokenVerificationErrors.UndecodableClaims);
        }

        // 5. Re-check the issuer on the verified claims.
        if (!_issuers.Contains(read.Issuer))
        {
            return TokenVerificationResult.Reject(TokenVerificationFailure.InvalidIssuer, TokenVerificationErrors.InvalidIssuer(read.Issuer), read);
        }

        claims = read;
        return null;
    }

    // A null entry (JSON null in a TokenReview's spec.audiences) is "", as Go decodes it; never a null reference.
    // A set once the lists are long: a TokenReview may name a megabyte of audiences, and the token thousands (linear,
    // not their product).
    private static string[] Intersect(IReadOnlyList<string> requested, IReadOnlyList<string> tokenAudiences)
    {
        // One requested audience (a scheme's usual list): the answer is it or nothing, with no list in between.
        if (requested.Count == 1)
        {
            var only = requested[0] ?? string.Empty;
            return Contains(tokenAudiences, only) ? [only] : [];
        }

        HashSet<string>? tokenSet = requested.Count * tokenAudiences.Count > 64 ? new HashSet<string>(tokenAudiences, StringComparer.Ordinal) : null;
        List<string>? accepted = null;
        for (var i = 0; i < requested.Count; i++)
        {
            var audience = requested[i] ?? string.Empty;
            if ((tokenSet?.Contains(audience) ?? Contains(tokenAudiences, audience)) && !(accepted?.Contains(audience) ?? false))
            {
                if (accepted is not null && accepted.Count > 64)
                {
                    // Many accepted audiences: the duplicate check becomes a set too.
                    return IntersectLarge(requested, tokenAudiences);
                }

                (accepted ??= []).Add(audience);
            }
        }

        return accepted is null ? [] : [.. accepted];
    }

    private static string[] IntersectLarge(IReadOnlyList<string> requested, IReadOnlyList<string> tokenAudiences)
    {
        var tokenSet = new HashSet<string>(tokenAudiences, StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var accepted = new List<string>();
        foreach (var a in requested)
        {
            var audience = a ?? string.Empty;
            if (tokenSet.Contains(audience) && seen.Add(audience))
            {
                accepted.Add(audience);
            }
        }

        return [.. accepted];
    }

    private static bool Contains(IReadOnlyList<string> list, string value)
    {
        for (var i = 0; i < list.Count; i++)
        {
            if (string.Equals(list[i], value, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private static bool SameList(string[] a, IReadOnlyList<string> b)
    {
        if (a.Length != b.Count)
        {
            return false;
        }

        for (var i = 0; i < a.Length; i++)
        {
            if (!string.Equals(a[i], b[i] ?? string.Empty, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    private static IReadOnlyList<string> NullsAsEmpty(IReadOnlyList<string> list)
    {
        for (var i = 0; i < list.Count; i++)
        {
            if (list[i] is null)
            {
                var copy = new string[list.Count];
                for (var j = 0; j < copy.Length; j++)
                {
                    copy[j] = list[j] ?? string.Empty;
                }

                return copy;
            }
        }

        return list;
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
