namespace TokenAuthority.Validation;

/// <summary>
/// The events of the TokenAuthority and TokenReview schemes, in the style of <c>JwtBearerEvents</c>:
/// assign the <c>On...</c> delegates, or derive and override the methods.
/// </summary>
public class TokenAuthorityAuthenticationEvents
{
    /// <summary>Raised first; may supply <see cref="TokenAuthorityMessageReceivedContext.Token"/> from elsewhere, or end with a result.</summary>
    public Func<TokenAuthorityMessageReceivedContext, Task> OnMessageReceived { get; set; } = _ => Task.CompletedTask;

    /// <summary>Raised after a token verified; may reject it with <c>Fail</c> or add claims.</summary>
    public Func<TokenAuthorityTokenValidatedContext, Task> OnTokenValidated { get; set; } = _ => Task.CompletedTask;

    /// <summary>Raised when a token is present but refused (or verification could not complete).</summary>
    public Func<TokenAuthorityAuthenticationFailedContext, Task> OnAuthenticationFailed { get; set; } = _ => Task.CompletedTask;

    /// <summary>Raised before the 401 challenge is written; call <see cref="TokenAuthorityChallengeContext.HandleResponse"/> to write your own.</summary>
    public Func<TokenAuthorityChallengeContext, Task> OnChallenge { get; set; } = _ => Task.CompletedTask;

    /// <summary>Raised when an authenticated caller fails an authorization policy (403).</summary>
    public Func<TokenAuthorityForbiddenContext, Task> OnForbidden { get; set; } = _ => Task.CompletedTask;

    /// <summary>Invokes <see cref="OnMessageReceived"/>.</summary>
    public virtual Task MessageReceived(TokenAuthorityMessageReceivedContext context) => OnMessageReceived(context);

    /// <summary>Invokes <see cref="OnTokenValidated"/>.</summary>
    public virtual Task TokenValidated(TokenAuthorityTokenValidatedContext context) => OnTokenValidated(context);

    /// <summary>Invokes <see cref="OnAuthenticationFailed"/>.</summary>
    public virtual Task AuthenticationFailed(TokenAuthorityAuthenticationFailedContext context) => OnAuthenticationFailed(context);

    /// <summary>Invokes <see cref="OnChallenge"/>.</summary>
    public virtual Task Challenge(TokenAuthorityChallengeContext context) => OnChallenge(context);

    /// <summary>Invokes <see cref="OnForbidden"/>.</summary>
    public virtual Task Forbidden(TokenAuthorityForbiddenContext context) => OnForbidden(context);
}
