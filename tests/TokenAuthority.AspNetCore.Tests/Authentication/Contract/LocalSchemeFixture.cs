using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using TokenAuthority.Server;
using TokenAuthority.Validation;
using TokenAuthority.Keys;
using TokenAuthority.Tests.TestSupport;

namespace TokenAuthority.AspNetCore.Tests.Authentication.Contract;

/// <summary>The TokenAuthority scheme: the service is the authority and verifies in-process, bound objects on every request.</summary>
public sealed class LocalSchemeFixture : AuthenticationContractFixture
{
    public override bool SeesBoundObjects => true;

    public override bool WritesKubernetesTexts => true;

    protected override IServiceProvider AuthorityServices => ServiceServices;

    protected override Task StartAuthorityAsync() => Task.CompletedTask;

    protected override void ConfigureService(WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<TimeProvider>(AuthorityClock);
        builder.Services.AddTokenAuthority(o =>
        {
            o.Issuer = "https://issuer.example.com";
            o.SigningKey = TokenKey.ParsePem(KubernetesTestKeys.RsaPrivateKey)[0];
        }).AddInMemoryBoundObjects(Seed).AddBoundObjectKind(Workflow);
        builder.Services.AddAuthentication(TokenAuthorityAuthenticationDefaults.AuthenticationScheme)
            .AddTokenAuthorityBearer(o => o.Audiences.Add(Audience));
    }

    protected override Task StopAuthorityAsync() => Task.CompletedTask;
}
