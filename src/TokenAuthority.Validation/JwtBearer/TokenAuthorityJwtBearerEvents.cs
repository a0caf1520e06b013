using System.Buffers.Text;
using System.IdentityModel.Tokens.Jwt;
using System.Text;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using TokenAuthority.Binding;
using TokenAuthority.Claims;
using TokenAuthority.Identity;
using TokenAuthority.Verifying;

namespace TokenAuthority.Validation;

/// <summary>
/// The JwtBearer events <c>AddTokenAuthorityJwtBearer</c> installs: a validated token's payload is read by the core's
/// claims reader into the same <see cref="ServiceAccountIdentity"/> and principal the other schemes build, and every
/// answer (success, or a failure with its <see cref="TokenVerificationFailure"/>) is available through
/// <c>HttpContext.GetTokenVerificationResult()</c>.
/// </summary>
internal static class TokenAuthorityJwtBearerEvents
{
    /// <summary>Builds the identity and the principal of a token JwtBearer validated; refuses one whose claims do not read.</summary>
    public static Func<TokenValidatedContext, Task> TokenValidated(IReadOnlyList<BoundObjectKind> boundObjectKinds)
    {
        // Built once per scheme, not per request.
        var kinds = new BoundObjectKindTable(boundObjectKinds);
        return context =>
        {
            OnTokenValidated(context, kinds);
            return Task.CompletedTask;
        };
    }

    /// <summary>Refuses the token instead of rethrowing (a 401, never a 500) and records why.</summary>
    public static Task AuthenticationFailed(AuthenticationFailedContext context)
    {
        var failure = Classify(context.Exception);

        // IdentityModel's audience failure names no audience (JwtBearer shows "The audience '(null)' is invalid"): say it
        // as the Kubernetes authenticator and the other schemes do, with the token's and the service's audiences.
        if (failure == TokenVerificationFailure.InvalidAudience && DescribeAudienceFailure(context) is { } audienceFailure)
        {
            context.Fail(audienceFailure);
        }

        context.HttpContext.SetTokenVerificationResult(new TokenVerificationResult
        {
            Outcome = failure == TokenVerificationFailure.NotRecognized ? TokenVerificationOutcome.NotRecognized : TokenVerificationOutcome.Rejected,
            Failure = failure,
            Error = failure == TokenVerificationFailure.NotRecognized ? null : (context.Result?.Failure ?? context.Exception).Message,
        });

        // JwtBearer rethrows when the metadata cannot be fetched (a 500); refuse the token instead (fail closed, 401).
        if (context.Result is null)
        {
            context.Fail(context.Exception);
        }

        LogRefused(context, failure);
        return Task.CompletedTask;
    }

    /// <summary>
    /// The one line per refused request the other schemes write (JwtBearer's own lines are Information with a stack, in a
    /// category hosts set to Warning): the exception's type and message (IdentityModel hides any token in them), never a stack.
    /// </summary>
    private static void LogRefused(AuthenticationFailedContext context, TokenVerificationFailure failure)
    {
        if (context.HttpContext.RequestServices?.GetService(typeof(ILoggerFactory)) is not ILoggerFactory factory)
        {
            return;
        }

        var log = factory.CreateLogger(LoggingExtensions.RequestCategory);
        var request = context.HttpContext.Request;
        var (method, path, client) = (LogText.MethodOf(request), LogText.PathOf(request), LogText.ClientOf(context.HttpContext));
        var detail = context.Result?.Failure is TokenAuthorityAuthenticationException ours ? LogText.Clean(ours.Message) : LogText.Summary(context.Exception);
        if (failure == TokenVerificationFailure.ResolverUnavailable)
        {
            log.VerificationUnavailable(context.Scheme.Name, method, path, client, detail);
        }
        else
        {
            log.TokenRefused(context.Scheme.Name, method, path, client, detail, TokenAuthorityAuthenticationMetrics.ErrorType(failure));
        }
    }

    /// <summary>Shows the text of a refusal this helper made (JwtBearer knows only its own exceptions' texts).</summary>
    public static Task Challenge(JwtBearerChallengeContext context)
    {
        if (context.Options.IncludeErrorDetails && context.AuthenticateFailure is TokenAuthorityAuthenticationException refused)
        {
            // JwtBearer writes the description between quotes as it is: escape it as a quoted-string's content.
            context.ErrorDescription = WwwAuthenticateHeader.Quote(refused.Message)[1..^1];
        }

        return Task.CompletedTask;
    }

    /// <summary>
    /// <c>token audiences ["billing"] is invalid for the target audiences ["orders"]</c>, from the bearer token's
    /// (already signature-checked by IdentityModel, but not trusted here beyond naming them) <c>aud</c> and the audiences
    /// this scheme accepts; null when the token is not in the Authorization header or does not parse.
    /// </summary>
    private static TokenAuthorityAuthenticationException? DescribeAudienceFailure(AuthenticationFailedContext context)
    {
        const string Prefix = "Bearer ";
        var header = context.HttpContext.Request.Headers.Authorization.ToString();
        if (!header.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        IReadOnlyList<string> tokenAudiences;
        try
        {
            tokenAudiences = [.. new JsonWebToken(header[Prefix.Length..].Trim()).Audiences];
        }
        catch (Exception e) when (e is ArgumentException or SecurityTokenMalformedException)
        {
            return null;
        }

        var parameters = context.Options.TokenValidationParameters;
        var targets = (parameters.ValidAudiences ?? []).Prepend(parameters.ValidAudience).OfType<string>().Distinct(StringComparer.Ordinal);
        return new TokenAuthorityAuthenticationException(TokenVerificationFailure.InvalidAudience, TokenVerificationErrors.InvalidAudience(tokenAudiences, targets));
    }

    /// <summary>
    /// The failure an IdentityModel exception means, in the terms of the other schemes. A token of another issuer is not
    /// this authority's (<see cref="TokenVerificationFailure.NotRecognized"/>), as the Kubernetes authenticator says.
    /// JwtBearer reports a JWKS it could not fetch as a missing signing key (<see cref="TokenVerificationFailure.InvalidSignature"/>).
    /// </summary>
    internal static TokenVerificationFailure Classify(Exception exception) => exception switch
    {
        AggregateException { InnerExceptions.Count: > 0 } aggregate => Classify(aggregate.InnerExceptions[0]),
        TokenAuthorityAuthenticationException ours => ours.Failure,
        SecurityTokenExpiredException => TokenVerificationFailure.Expired,
        SecurityTokenNotYetValidException => TokenVerificationFailure.NotYetValid,
        SecurityTokenInvalidAudienceException => TokenVerificationFailure.InvalidAudience,
        SecurityTokenInvalidIssuerException => TokenVerificationFailure.NotRecognized,
        SecurityTokenInvalidSignatureException or SecurityTokenInvalidAlgorithmException => TokenVerificationFailure.InvalidSignature,

        // Any other token error (malformed, no exp, ...) is a token this path does not take; anything else (the metadata
        // could not be read) leaves the answer unknown, as an unreachable TokenReview authority does.
        SecurityTokenException or SecurityTokenMalformedException => TokenVerificationFailure.NotRecognized,
        _ => TokenVerificationFailure.ResolverUnavailable,
    };

    private static void OnTokenValidated(TokenValidatedContext context, BoundObjectKindTable kinds)
    {
        string? unknownBinding = null;
        var payload = PayloadOf(context.SecurityToken);
        if (payload is null
            || !ServiceAccountTokenClaims.TryRead(payload, kinds, out var claims, out unknownBinding)
            || !ServiceAccountUserInfo.TryParseUsername(ServiceAccountUserInfo.Username(claims.Namespace, claims.ServiceAccount.Name), out _, out _))
        {
            // What the verifier answers for such a payload: a binding nobody here can read, or claims that do not decode.
            Refuse(context, unknownBinding is null
                ? new TokenAuthorityAuthenticationException(TokenVerificationFailure.InvalidSignature, TokenVerificationErrors.UndecodableClaims)
                : new TokenAuthorityAuthenticationException(TokenVerificationFailure.UnknownBinding, TokenVerificationErrors.UnknownBinding(unknownBinding)));
            return;
        }

        var accepted = Accepted(context.Options.TokenValidationParameters, claims.Audiences);
        var identity = ServiceAccountIdentity.FromClaims(claims, accepted);
        context.HttpContext.SetTokenVerificationResult(new TokenVerificationResult
        {
            Outcome = TokenVerificationOutcome.Authenticated,
            Identity = identity,
            Audiences = accepted,
            Claims = claims,
        });
        context.Principal = TokenAuthorityPrincipalFactory.Create(identity, context.Scheme.Name, claims.Issuer);
    }

    private static void Refuse(TokenValidatedContext context, TokenAuthorityAuthenticationException refused)
    {
        context.HttpContext.SetTokenVerificationResult(new TokenVerificationResult
        {
            Outcome = TokenVerificationOutcome.Rejected,
            Failure = refused.Failure,
            Error = refused.Message,
        });
        context.Fail(refused);
    }

    /// <summary>The token's audiences this service accepts, ordered like its list (as the verifier orders them).</summary>
    private static string[] Accepted(TokenValidationParameters parameters, IReadOnlyList<string> tokenAudiences)
    {
        var configured = (parameters.ValidAudiences ?? []).Prepend(parameters.ValidAudience).OfType<string>();
        var accepted = configured.Where(a => tokenAudiences.Contains(a, StringComparer.Ordinal)).Distinct(StringComparer.Ordinal).ToArray();

        // An AudienceValidator of the app's own accepted the token: then its audiences are what was accepted.
        return accepted.Length > 0 ? accepted : [.. tokenAudiences];
    }

    private static string? PayloadOf(SecurityToken? token)
    {
        var encoded = token switch
        {
            JsonWebToken jwt => jwt.EncodedPayload,
            JwtSecurityToken legacy => legacy.RawPayload,
            _ => null,
        };
        if (encoded is null)
        {
            return null;
        }

        try
        {
            return Encoding.UTF8.GetString(Base64Url.DecodeFromChars(encoded));
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
