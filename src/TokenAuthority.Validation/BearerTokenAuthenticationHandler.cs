using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using TokenAuthority.Verifying;

namespace TokenAuthority.Validation;

/// <summary>
/// The bearer-token flow shared by the local (<c>TokenAuthorityAuthenticationHandler</c>, in TokenAuthority.Server) and the
/// remote (<see cref="TokenReviewAuthenticationHandler"/>) schemes; they differ only in how a token is verified.
/// Modelled on <c>JwtBearerHandler</c>: message received → verify → token validated → ticket; failures
/// become 401 with an RFC 6750 challenge, never an exception.
/// </summary>
internal abstract class BearerTokenAuthenticationHandler<TOptions>(
    IOptionsMonitor<TOptions> options,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    TokenAuthorityAuthenticationMetrics metrics)
    : AuthenticationHandler<TOptions>(options, loggerFactory, encoder)
    where TOptions : TokenAuthorityAuthenticationOptions, new()
{
    private const string InvalidToken = "invalid_token";

    /// <summary>The <c>error.type</c> of a token the <c>TokenValidated</c> event refused.</summary>
    private const string RefusedByEvent = "refused_by_event";

    /// <summary>Shown instead of exception details when verification threw.</summary>
    private const string VerificationError = "the bearer token could not be verified";

    protected TokenAuthorityAuthenticationMetrics Metrics { get; } = metrics;

    /// <summary>The one line per refused request, in its own category (<see cref="LoggingExtensions.RequestCategory"/>).</summary>
    protected ILogger RequestLog { get; } = loggerFactory.CreateLogger(LoggingExtensions.RequestCategory);

    protected new TokenAuthorityAuthenticationEvents Events
    {
        get => (TokenAuthorityAuthenticationEvents)base.Events!;
        set => base.Events = value;
    }

    protected override Task<object> CreateEventsAsync() => Task.FromResult<object>(new TokenAuthorityAuthenticationEvents());

    /// <summary>Verifies a well-formed token for <see cref="TokenAuthorityAuthenticationOptions.Audiences"/>.</summary>
    protected abstract ValueTask<TokenVerificationResult> VerifyAsync(string token, CancellationToken cancellationToken);

    /// <summary>The issuer recorded on the claims.</summary>
    protected abstract string IssuerOf(TokenVerificationResult result);

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var received = new TokenAuthorityMessageReceivedContext(Context, Scheme, Options);
        await Events.MessageReceived(received).ConfigureAwait(false);
        if (received.Result is not null)
        {
            return received.Result;
        }

        var token = received.Token;
        if (token is null)
        {
            var (kind, value) = BearerToken.Read(Request.Headers.Authorization);
            if (kind == BearerToken.Kind.None)
            {
                return AuthenticateResult.NoResult();
            }

            if (kind == BearerToken.Kind.Malformed)
            {
                RequestLog.MalformedHeader(Scheme.Name, LogText.MethodOf(Request), LogText.PathOf(Request), LogText.ClientOf(Context), value);
                Metrics.Attempt(Scheme.Name, TokenVerificationFailure.NotRecognized);
                return await FailAsync(new TokenAuthorityAuthenticationException(TokenVerificationFailure.NotRecognized, value), null).ConfigureAwait(false);
            }

            token = value;
        }
        else if (!BearerToken.IsWellFormed(token))
        {
            RequestLog.MalformedHeader(Scheme.Name, LogText.MethodOf(Request), LogText.PathOf(Request), LogText.ClientOf(Context), BearerToken.MalformedToken);
            Metrics.Attempt(Scheme.Name, TokenVerificationFailure.NotRecognized);
            return await FailAsync(new TokenAuthorityAuthenticationException(TokenVerificationFailure.NotRecognized, BearerToken.MalformedToken), null).ConfigureAwait(false);
        }

        TokenVerificationResult result;
        try
        {
            result = await VerifyAsync(token, Context.RequestAborted).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (Context.RequestAborted.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // Any failure of the verifier must refuse the token, never surface as a 500.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Logger.VerificationThrew(ex, Scheme.Name, LogText.MethodOf(Request), LogText.PathOf(Request), LogText.ClientOf(Context));
            Metrics.Attempt(Scheme.Name, TokenVerificationFailure.ResolverUnavailable);
            return await FailAsync(new TokenAuthorityAuthenticationException(TokenVerificationFailure.ResolverUnavailable, VerificationError), null).ConfigureAwait(false);
        }

        Context.SetTokenVerificationResult(result);
        if (!result.Succeeded)
        {
            var description = result.Outcome == TokenVerificationOutcome.NotRecognized
                ? TokenVerificationResult.InvalidBearerToken
                : result.Error ?? TokenVerificationResult.InvalidBearerToken;
            LogRefused(result.Failure, result.LogDetail ?? description, result.Claims?.Id);
            Metrics.Attempt(Scheme.Name, result.Failure);

            return await FailAsync(new TokenAuthorityAuthenticationException(result.Failure, description), result).ConfigureAwait(false);
        }

        var identity = result.Identity ?? throw new InvalidOperationException("An authenticated result carries the caller's identity.");
        var principal = TokenAuthorityPrincipalFactory.Create(identity, Scheme.Name, IssuerOf(result));
        var properties = new AuthenticationProperties();
        if (result.Claims is { } claims)
        {
            properties.IssuedUtc = claims.IssuedAt is { } iat ? DateTimeOffset.FromUnixTimeSeconds(iat) : null;
            properties.ExpiresUtc = claims.Expires is { } exp ? DateTimeOffset.FromUnixTimeSeconds(exp) : null;
        }

        var validated = new TokenAuthorityTokenValidatedContext(Context, Scheme, Options, result)
        {
            Principal = principal,
            Properties = properties,
        };
        await Events.TokenValidated(validated).ConfigureAwait(false);
        if (validated.Result is not null)
        {
            if (validated.Result.Failure is { } refused)
            {
                RequestLog.TokenRefused(Scheme.Name, LogText.MethodOf(Request), LogText.PathOf(Request), LogText.ClientOf(Context),
                    LogText.Clean(refused.Message), RefusedByEvent);
                Metrics.Attempt(Scheme.Name, TokenVerificationFailure.NotRecognized, RefusedByEvent);
            }

            return validated.Result;
        }

        // The audience list is joined only for a log that is written: not on every request.
        if (Logger.IsEnabled(LogLevel.Debug))
        {
            Logger.TokenValidated(principal.Identity?.Name ?? string.Empty, string.Join(",", result.Audiences));
        }

        Metrics.Attempt(Scheme.Name, TokenVerificationFailure.None);
        validated.Success();
        return validated.Result!;
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var authResult = await HandleAuthenticateOnceSafeAsync().ConfigureAwait(false);
        var challenge = new TokenAuthorityChallengeContext(Context, Scheme, Options, properties)
        {
            AuthenticateFailure = authResult?.Failure,
        };

        if (challenge.AuthenticateFailure is { } failure)
        {
            challenge.Error = InvalidToken;
            if (Options.IncludeErrorDetails)
            {
                // Only texts this package wrote are shown; any other exception (from an event) gets the generic text.
                challenge.ErrorDescription = failure is TokenAuthorityAuthenticationException ? failure.Message : TokenVerificationResult.InvalidBearerToken;
            }
        }

        await Events.Challenge(challenge).ConfigureAwait(false);
        if (challenge.Handled)
        {
            return;
        }

        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.Append(HeaderNames.WWWAuthenticate, WwwAuthenticateHeader.Format(challenge.Error, challenge.ErrorDescription, challenge.ErrorUri));
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        Logger.Forbidden(Context.User.Identity?.Name ?? string.Empty);
        var forbidden = new TokenAuthorityForbiddenContext(Context, Scheme, Options);
        Response.StatusCode = StatusCodes.Status403Forbidden;
        return Events.Forbidden(forbidden);
    }

    /// <summary>One line: who was refused where and why; the credential id (<c>JTI=…</c>) when the token's claims were verified.</summary>
    private void LogRefused(TokenVerificationFailure failure, string detail, string? jti)
    {
        var (method, path, client) = (LogText.MethodOf(Request), LogText.PathOf(Request), LogText.ClientOf(Context));
        if (failure == TokenVerificationFailure.ResolverUnavailable)
        {
            RequestLog.VerificationUnavailable(Scheme.Name, method, path, client, LogText.Clean(detail, LogText.MaxLength * 3));
        }
        else if (string.IsNullOrEmpty(jti))
        {
            RequestLog.TokenRefused(Scheme.Name, method, path, client, LogText.Clean(detail), TokenAuthorityAuthenticationMetrics.ErrorType(failure));
        }
        else
        {
            RequestLog.CredentialRefused(Scheme.Name, method, path, client, LogText.Clean(detail), TokenAuthorityAuthenticationMetrics.ErrorType(failure), "JTI=" + LogText.Clean(jti));
        }
    }

    private async Task<AuthenticateResult> FailAsync(Exception exception, TokenVerificationResult? result)
    {
        var failed = new TokenAuthorityAuthenticationFailedContext(Context, Scheme, Options, exception, result);
        await Events.AuthenticationFailed(failed).ConfigureAwait(false);
        return failed.Result ?? AuthenticateResult.Fail(failed.Exception);
    }
}
