using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using TokenAuthority.Server;
using TokenAuthority.Validation;
using TokenAuthority.AspNetCore.Tests.TestSupport;

namespace TokenAuthority.AspNetCore.Tests.Authentication.TestSupport;

/// <summary>A service that only verifies tokens (no authority of its own), in-process on TestHost with a fake clock.</summary>
public sealed class ServiceApp : CallerApp
{
    private ServiceApp(WebApplication app, FakeTimeProvider clock, TestLogs logs)
        : base(app, app.GetTestClient(), clock, logs)
    {
    }

    public static async Task<ServiceApp> StartAsync(string defaultScheme, Action<AuthenticationBuilder> authentication)
    {
        var logs = new TestLogs();
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var builder = TestHost.CreateBuilder(logs, clock);
        builder.WebHost.UseTestServer();
        authentication(builder.Services.AddAuthentication(defaultScheme));
        builder.Services.AddAuthorization(o => o.AddPolicy(KubeSystemPolicy, p => p.RequireNamespace("kube-system")));
        var app = builder.Build();
        MapCallerEndpoints(app);
        await app.StartAsync();
        return new ServiceApp(app, clock, logs);
    }

    /// <summary>A service on the TokenReview scheme for <c>orders</c>, asking <paramref name="authority"/> as its token reviewer over TLS it trusts.</summary>
    public static Task<ServiceApp> StartTokenReviewAsync(AuthorityServer authority, Action<TokenReviewAuthenticationOptions>? configure = null) =>
        StartAsync(TokenReviewAuthenticationDefaults.AuthenticationScheme, auth => auth.AddTokenReview(o =>
        {
            AskAuthority(o, authority);
            configure?.Invoke(o);
        }));

    /// <summary>TokenReview options for <c>orders</c> that ask <paramref name="authority"/>, presenting its reviewer token and trusting its CA.</summary>
    public static void AskAuthority(TokenReviewAuthenticationOptions o, AuthorityServer authority)
    {
        o.Authority = authority.Issuer;
        o.Audiences.Add("orders");
        o.ReviewerToken = authority.ReviewerToken;
        o.CertificateAuthorityFile = authority.CertificateAuthorityFile;
    }
}
