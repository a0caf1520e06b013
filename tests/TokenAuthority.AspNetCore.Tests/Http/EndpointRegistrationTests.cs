using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using TokenAuthority.Server.Http;

namespace TokenAuthority.AspNetCore.Tests.Http;

public sealed class EndpointRegistrationTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void ResultHandlerIsRegisteredWhateverTheOrderAndOnlyOnce(bool authorizationFirst)
    {
        var services = new ServiceCollection().AddLogging();
        if (authorizationFirst)
        {
            services.AddAuthorization();
        }

        services.AddTokenAuthorityEndpoints().AddTokenAuthorityEndpoints();
        services.AddAuthorization();
        using var provider = services.BuildServiceProvider();
        Assert.IsType<TokenAuthorityAuthorizationResultHandler>(provider.GetRequiredService<IAuthorizationMiddlewareResultHandler>());
        Assert.Single(services, d => d.ServiceType == typeof(IAuthorizationMiddlewareResultHandler));
    }

    [Fact]
    public async Task OtherEndpointsGoToTheHandlerThatWasRegistered()
    {
        var custom = new RecordingHandler();
        var services = new ServiceCollection().AddLogging().AddSingleton<IAuthorizationMiddlewareResultHandler>(custom);
        services.AddTokenAuthorityEndpoints();
        using var provider = services.BuildServiceProvider();
        var handler = provider.GetRequiredService<IAuthorizationMiddlewareResultHandler>();
        var context = new DefaultHttpContext { RequestServices = provider };
        await handler.HandleAsync(_ => Task.CompletedTask, context, new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build(), PolicyAuthorizationResult.Forbid());
        Assert.Equal(1, custom.Calls);
    }

    [Theory]
    [InlineData(100, "v1.33.0", "MaxRequestBodySize must be between 1024 and 67108864 bytes, got 100.")]
    [InlineData(1024, "1.33", "KubernetesVersion must look like \"v1.33.0\", got \"1.33\".")]
    public void InvalidOptionsFailAtStartUp(long size, string version, string message)
    {
        var services = new ServiceCollection().AddTokenAuthorityEndpoints(o =>
        {
            o.MaxRequestBodySize = size;
            o.KubernetesVersion = version;
        });
        using var provider = services.BuildServiceProvider();
        var e = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<TokenAuthorityEndpointOptions>>().Value);
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("v1.33.0", "1", "33")]
    [InlineData("v1.30.13-gke.100", "1", "30")]
    [InlineData("v2.0.1+build", "2", "0")]
    public void VersionsParse(string gitVersion, string major, string minor)
    {
        var version = KubernetesVersionInfo.TryParse(gitVersion)!;
        Assert.Equal((major, minor, gitVersion), (version.Major, version.Minor, version.GitVersion));
    }

    private sealed class RecordingHandler : IAuthorizationMiddlewareResultHandler
    {
        public int Calls { get; private set; }

        public Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
        {
            Calls++;
            return Task.CompletedTask;
        }
    }
}
