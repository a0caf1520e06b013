using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace TokenAuthority.AspNetCore.Tests.TestSupport;

/// <summary>What every test app starts from: a slim builder, logs collected (or none), an optional clock, no key ring on disk.</summary>
public static class TestHost
{
    public static WebApplicationBuilder CreateBuilder(TestLogs? logs = null, TimeProvider? clock = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        if (logs is not null)
        {
            builder.Logging.AddProvider(logs).SetMinimumLevel(LogLevel.Debug);
        }

        if (clock is not null)
        {
            builder.Services.AddSingleton(clock);
        }

        // Keep test runs from writing a key ring to the user's profile.
        builder.Services.AddDataProtection().UseEphemeralDataProtectionProvider();
        return builder;
    }

    /// <summary>The one address a started Kestrel app listens on.</summary>
    public static string Address(WebApplication app) =>
        app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
}
