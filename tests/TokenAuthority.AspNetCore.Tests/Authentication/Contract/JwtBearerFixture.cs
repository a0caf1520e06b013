using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using TokenAuthority.AspNetCore.Tests.TestSupport;

namespace TokenAuthority.AspNetCore.Tests.Authentication.Contract;

/// <summary>
/// The JwtBearer helper: the stock handler against a real authority's discovery and JWKS over https, told about the
/// authority's registered kind. Stateless: it never sees bound objects.
/// </summary>
public sealed class JwtBearerFixture : AuthenticationContractFixture
{
    private AuthorityServer? _authority;

    public override bool SeesBoundObjects => false;

    public override bool WritesKubernetesTexts => false;

    private AuthorityServer Authority => _authority ?? throw new InvalidOperationException("not started");

    protected override IServiceProvider AuthorityServices => Authority.Services;

    protected override async Task StartAuthorityAsync()
    {
        _authority = await AuthorityServer.StartAsync(new AuthorityServerOptions
        {
            Clock = AuthorityClock,
            ConfigureServices = s => s.Configure<TokenAuthorityOptions>(o => o.BoundObjectKinds.Add(Workflow)),
        });
        Seed(Authority.Store);
    }

    protected override void ConfigureService(WebApplicationBuilder builder) =>
        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddTokenAuthorityJwtBearer(
            JwtBearerDefaults.AuthenticationScheme,
            Authority.Issuer,
            [Audience],
            [Workflow],
            o => o.BackchannelHttpHandler = Authority.CreateHandler());

    protected override async Task StopAuthorityAsync()
    {
        if (_authority is not null)
        {
            await _authority.DisposeAsync();
        }
    }
}
