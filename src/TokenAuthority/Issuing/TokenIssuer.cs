using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TokenAuthority.Binding;
using TokenAuthority.Claims;
using TokenAuthority.Diagnostics;
using TokenAuthority.Errors;
using TokenAuthority.Identity;
using TokenAuthority.Keys;
using TokenAuthority.Model;
using TokenAuthority.Verifying;

namespace TokenAuthority.Issuing;

/// <summary>
/// The TokenRequest REST logic of kube-apiserver (pkg/registry/core/serviceaccount/storage/token.go)
/// in its processing order, with the same error codes, reasons and texts.
/// </summary>
internal sealed class TokenIssuer : ITokenIssuer
{
    /// <summary>Lifetime when the request names none.</summary>
    public const long DefaultExpirationSeconds = 3600;

    /// <summary>Shortest lifetime accepted.</summary>
    public const long MinExpirationSeconds = 600;

    /// <summary>The lifetime that marks a pod's auto-injected token, eligible for extension (1 h + 7 s).</summary>
    public const long WarnOnlyBoundTokenExpirationSeconds = 3607;

    private const string Resource = "TokenRequest";

    private readonly TokenAuthorityOptions _options;
    private readonly string _issuer;
    private readonly IReadOnlyList<string> _apiAudiences;
    private readonly ITokenKeySetProvider _keys;
    private readonly BoundObjectLookup _lookup;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly TokenAuthorityMetrics _metrics;
    private readonly BoundObjectKindTable _kinds;

    public TokenIssuer(
        IOptions<TokenAuthorityOptions> options,
        ITokenKeySetProvider keys,
        BoundObjectLookup lookup,
        TimeProvider timeProvider,
        ILogger<TokenIssuer> logger,
        TokenAuthorityMetrics metrics)
    {
        _options = options.Value;
        _issuer = _options.Issuer ?? throw new InvalidOperationException("TokenAuthority:Issuer is not set");
        _apiAudiences = _options.EffectiveApiAudiences();
        _keys = keys;
        _lookup = lookup;
        _time = timeProvider;
        _logger = logger;
        _metrics = metrics;
        _kinds = new BoundObjectKindTable(_options.BoundObjectKinds);
    }

    /// <inheritdoc />
    public async ValueTask<TokenRequestResult> CreateTokenAsync(string namespaceName, string name, TokenRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(namespaceName);
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(request);
        using var activity = TokenAuthorityActivitySource.StartIssue(namespaceName, name);
        var started = _time.GetTimestamp();
        var result = await CreateCoreAsync(namespaceName, name, request, cancellationToken).ConfigureAwait(false);
        TokenAuthorityActivitySource.Issued(activity, result);
        if (result.Succeeded)
        {
            _metrics.Issued(_time.GetElapsedTime(started));
        }
        else
        {
            _metrics.IssueFailed(result.Error.Reason, _time.GetElapsedTime(started));
            _logger.TokenRequestRefused(namespaceName, name, result.Error.Code, result.Error.Reason, result.Error.Message);
        }

        return result;
    }

    private async ValueTask<TokenRequestResult> CreateCoreAsync(string ns, string name, TokenRequest request, CancellationToken ct)
    {
        var meta = request.Metadata;
        var spec = request.Spec;

        // 1. The generic handler's namespace check.
        if (!string.IsNullOrEmpty(meta.Namespace) && !string.Equals(meta.Namespace, ns, StringComparison.Ordinal))
        {
            return TokenRequestResult.Fail(KubernetesError.BadRequest("the namespace of the provided object does not match the namespace sent on the request"));
        }

        // 2. A body name must match the service account.
        if (!string.IsNullOrEmpty(meta.Name) && !string.Equals(meta.Name, name, StringComparison.Ordinal))
        {
            return TokenRequestResult.Fail(KubernetesError.Invalid(Resource, KubernetesApi.AuthenticationGroup, name,
                [FieldError.Invalid("metadata.name", meta.Name, "must match the service account name if specified")]));
        }

        // 3. The service account must exist. A namespace or name outside Kubernetes' rules names no account, whatever
        // the resolver says: "system:serviceaccount:a:b:c" must never be issued, since it reads two ways.
        if (!KubernetesNames.IsLabel(ns) || !KubernetesNames.IsSubdomain(name))
        {
            return TokenRequestResult.Fail(KubernetesError.NotFound("serviceaccounts", name));
        }

        var saLookup = await _lookup.LookupAsync(new BoundObjectKey(BoundObjectKinds.ServiceAccount, ns, name), ct).ConfigureAwait(false);
        if (saLookup.Failed)
        {
            return TokenRequestResult.Fail(KubernetesError.Internal($"unable to look up service account \"{ns}/{name}\""));
        }

        if (saLookup.Object is not { } account)
        {
            return TokenRequestResult.Fail(KubernetesError.NotFound("serviceaccounts", name));
        }

        // 4. A body uid must be the service account's (a recreated account is a conflict).
        if (!string.IsNullOrEmpty(meta.Uid) && !string.Equals(meta.Uid, account.Uid, StringComparison.Ordinal))
        {
            return TokenRequestResult.Fail(KubernetesError.Conflict(Resource, KubernetesApi.AuthenticationGroup, name,
                $"the UID in the token request ({meta.Uid}) does not match the UID of the service account ({account.Uid})"));
        }

        // 5. Defaulting; "now" is captured here, in whole seconds.
        var now = DateTimeOffset.FromUnixTimeSeconds(_time.GetUtcNow().ToUnixTimeSeconds());
        // A JSON null in the list is Go's zero value, "" (decoding [null] into []string); never a null reference.
        var audiences = Audiences(spec.Audiences is { Count: > 0 } ? spec.Audiences : _apiAudiences);
        var expirationSeconds = spec.ExpirationSeconds ?? DefaultExpirationSeconds;

        // 6. Static validation (the error names an empty object, as kube-apiserver's does).
        List<FieldError>? fieldErrors = null;
        if (expirationSeconds < MinExpirationSeconds)
        {
            (fieldErrors ??= []).Add(FieldError.Invalid("spec.expirationSeconds", expirationSeconds, "may not specify a duration less than 10 minutes"));
        }

        if (expirationSeconds > TokenAuthorityOptions.MaxExpirationLimitSeconds)
        {
            (fieldErrors ??= []).Add(FieldError.Invalid("spec.expirationSeconds", expirationSeconds, "may not specify a duration larger than 2^32 seconds"));
        }

        if (fieldErrors is not null)
        {
            return TokenRequestResult.Fail(KubernetesError.Invalid(Resource, KubernetesApi.AuthenticationGroup, string.Empty, fieldErrors));
        }

        // 8. The bound object.
        var binding = new Binding();
        var boundRef = spec.BoundObjectRef;
        if (boundRef is not null)
        {
            var error = await ResolveBindingAsync(ns, name, boundRef, binding, ct).ConfigureAwait(false);
            if (error is not null)
            {
                return TokenRequestResult.Fail(error);
            }
        }

        // 9. Cap, then (for a pod's auto-injected 3607 s token) extend.
        List<string>? warnings = null;
        if (_options.MaxExpirationSeconds > 0 && expirationSeconds > _options.MaxExpirationSeconds)
        {
            (warnings ??= []).Add($"requested expiration of {expirationSeconds} seconds shortened to {_options.MaxExpirationSeconds} seconds");
            _logger.ExpirationCapped(expirationSeconds, _options.MaxExpirationSeconds, ns, name);
            expirationSeconds = _options.MaxExpirationSeconds;
        }

        var jwtLifetime = expirationSeconds;
        long? warnAfter = null;
        if (_options.ExtendExpiration && binding.Bound?.Kind == BoundObjectKinds.Pod && expirationSeconds == WarnOnlyBoundTokenExpirationSeconds
            && audiences.All(a => _apiAudiences.Contains(a, StringComparer.Ordinal)))
        {
            jwtLifetime = _options.MaxExtendedExpirationSeconds;
            warnAfter = now.ToUnixTimeSeconds() + WarnOnlyBoundTokenExpirationSeconds;
        }

        // 10. Claims, signature, response.
        var iat = now.ToUnixTimeSeconds();
        var jti = Guid.NewGuid().ToString();
        var claims = new ServiceAccountTokenClaims
        {
            Issuer = _issuer,
            Subject = ServiceAccountUserInfo.Username(ns, name),
            Audiences = audiences,
            Expires = iat + jwtLifetime,
            IssuedAt = iat,
            NotBefore = iat,
            Id = jti,
            Namespace = ns,
            ServiceAccount = new ObjectReferenceClaim(name, account.Uid),
            BoundObject = binding.Bound,
            Node = binding.Node,
            WarnAfter = warnAfter,
        };
        var signingKey = _keys.Current.SigningKey;
        string token;
        try
        {
            token = await TokenSigner.SignAsync(signingKey, claims, ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // An external signer that does not answer (an HSM gone, a session lost) fails this request, not the host;
            // the reason goes to the log only.
            _logger.SigningFailed(ex, ns, name, signingKey.KeyId);
            return TokenRequestResult.Fail(KubernetesError.Internal("failed to generate token: the signing key could not sign"));
        }

        if (token.Length > CompactJws.MaxLength)
        {
            // Only a very long audience list gets here; such a token could never be verified.
            return TokenRequestResult.Fail(KubernetesError.Invalid(Resource, KubernetesApi.AuthenticationGroup, string.Empty,
                [FieldError.Invalid("spec.audiences", audiences.Length, $"the audiences make the token longer than {CompactJws.MaxLength} characters; request fewer or shorter audiences")]));
        }

        var expires = now.AddSeconds(expirationSeconds);
        var credentialId = "JTI=" + jti;
        if (_logger.IsEnabled(LogLevel.Debug))
        {
            _logger.TokenIssued(credentialId, claims.Subject, string.Join(",", audiences), expires);
        }

        var response = new TokenRequest
        {
            Metadata = meta with { Name = name, Namespace = ns, Uid = account.Uid, CreationTimestamp = now },
            Spec = spec with { Audiences = audiences, ExpirationSeconds = expirationSeconds },
            Status = new TokenRequestStatus { Token = token, ExpirationTimestamp = expires },
        };
        return new TokenRequestResult { Response = response, Warnings = (IReadOnlyList<string>?)warnings ?? [], CredentialId = credentialId };
    }

    private async ValueTask<KubernetesError?> ResolveBindingAsync(string ns, string saName, BoundObjectReference r, Binding binding, CancellationToken ct)
    {
        var (group, version) = SplitApiVersion(r.ApiVersion ?? string.Empty);
        var kindName = r.Kind ?? string.Empty;
        var refName = r.Name ?? string.Empty;
        if (!_kinds.TryGet(group, kindName, out var kind))
        {
            return KubernetesError.BadRequest($"cannot bind token to object of type {group}/{version}, Kind={kindName}");
        }

        if (refName.Length == 0)
        {
            return KubernetesError.BadRequest("Name parameter required.");
        }

        // A name outside Kubernetes' rules names no object, whatever the resolver says.
        if (!KubernetesNames.IsSubdomain(refName))
        {
            return KubernetesError.NotFound(kind.Resource, refName, kind.Group);
        }

        var lookup = await _lookup.LookupAsync(new BoundObjectKey(kind.Kind, kind.Namespaced ? ns : null, refName), ct).ConfigureAwait(false);
        if (lookup.Failed)
        {
            return KubernetesError.Internal($"unable to look up {kind.Resource} \"{refName}\"");
        }

        if (lookup.Object is not { } live)
        {
            return KubernetesError.NotFound(kind.Resource, refName, kind.Group);
        }

        // An object that runs as a service account (a pod) binds only tokens of that account.
        if (kind.HasServiceAccount && !string.Equals(live.ServiceAccountName, saName, StringComparison.Ordinal))
        {
            return KubernetesError.BadRequest(
                $"cannot bind token for serviceaccount {GoQuote.Quote(saName)} to {kind.Kind.ToLowerInvariant()} running with different serviceaccount name.");
        }

        binding.Bound = BoundObjectClaim.For(kind, new ObjectReferenceClaim(refName, live.Uid));

        // The node an object runs on is recorded by name, and by uid when the node exists.
        if (kind.HasNode && !string.IsNullOrEmpty(live.NodeName))
        {
            var nodeLookup = await _lookup.LookupAsync(new BoundObjectKey(BoundObjectKinds.Node, null, live.NodeName), ct).ConfigureAwait(false);
            if (nodeLookup.Failed)
            {
                return KubernetesError.Internal($"failed to get node {GoQuote.Quote(live.NodeName)}");
            }

            binding.Node = new ObjectReferenceClaim(live.NodeName, nodeLookup.Object?.Uid ?? string.Empty);
        }

        // The uid check comes after the lookup, for every kind; the live uid is never echoed.
        if (!string.IsNullOrEmpty(r.Uid) && !string.Equals(r.Uid, live.Uid, StringComparison.Ordinal))
        {
            return KubernetesError.Conflict(kind.Kind, kind.Group, refName,
                $"the UID in the bound object reference ({r.Uid}) does not match the UID in record. The object might have been deleted and then recreated");
        }

        return null;
    }

    // A copy the request cannot change later, with Go's zero value "" for a JSON null.
    private static string[] Audiences(IReadOnlyList<string> source)
    {
        var copy = new string[source.Count];
        for (var i = 0; i < copy.Length; i++)
        {
            copy[i] = source[i] ?? string.Empty;
        }

        return copy;
    }

    // schema.ParseGroupVersion: "v1" → ("", "v1"); "apps/v1" → ("apps", "v1"); anything else → ("", "").
    private static (string Group, string Version) SplitApiVersion(string apiVersion)
    {
        var parts = apiVersion.Split('/');
        return parts.Length switch
        {
            1 => (string.Empty, parts[0]),
            2 => (parts[0], parts[1]),
            _ => (string.Empty, string.Empty),
        };
    }

    private sealed class Binding
    {
        public BoundObjectClaim? Bound { get; set; }

        public ObjectReferenceClaim? Node { get; set; }
    }
}
