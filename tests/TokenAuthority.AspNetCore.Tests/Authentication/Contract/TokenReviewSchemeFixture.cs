using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using TokenAuthority.Server;
using TokenAuthority.Validation;
using TokenAuthority.AspNetCore.Tests.TestSupport;

namespace TokenAuthority.AspNetCore.Tests.Authentication.Contract;

/// <summary>
/// The TokenReview scheme: a real authority app over https (the reviewer is <c>kube-system/token-reviewer</c>) reviews
/// every token. Caching is off, so a deletion is seen on the next request (the cache window has its own tests).
/// </summary>
public sealed class TokenReviewSchemeFixture : AuthenticationContractFixture
{
    private AuthorityServer? _authority;

    public override bool SeesBoundObjects => true;

    public override bool WritesKubernetesTexts => true;

    private AuthorityServer Authority => _authority ?? throw new InvalidOperationException("not started");

    protected override IServiceProvider AuthorityServices => Authority.Services;

    protected override async Task StartAuthorityAsync()
    {
        _authority = await AuthorityServer.StartAsync(new AuthorityServerOptions
        {
            ApiPolicy = AuthorityServer.ReviewerPolicy,
            Clock = AuthorityClock,
            ConfigureServices = s => s.Configure<TokenAuthorityOptions>(o => o.BoundObjectKinds.Add(Workflow)),
        });
        Seed(Authority.Store);
    }

    protected override void ConfigureService(WebApplicationBuilder builder) =>
        builder.Services.AddAuthentication(TokenReviewAuthenticationDefaults.AuthenticationScheme).AddTokenReview(o =>
        {
            o.Authority = Authority.Issuer;
            o.Audiences.Add(Audience);
            o.ReviewerToken = Authority.ReviewerToken;
            o.CertificateAuthorityFile = Authority.CertificateAuthorityFile;
            o.CacheDuration = TimeSpan.Zero;
        });

    protected override async Task StopAuthorityAsync()
    {
        if (_authority is not null)
        {
            await _authority.DisposeAsync();
        }
    }
}
