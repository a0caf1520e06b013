using Microsoft.Extensions.DependencyInjection;
using TokenAuthority.Issuing;
using TokenAuthority.Model;
using TokenAuthority.Verifying;

namespace TokenAuthority.Tests;

/// <summary>The ten-line example of README.md, kept compiling and true.</summary>
public class ReadmeExampleTests
{
    [Fact]
    public async Task IssueAndVerifyInTenLines()
    {
        // --- README snippet starts ---
        var services = new ServiceCollection().AddLogging();
        services.AddTokenAuthority(o => o.Issuer = "https://auth.example.com")
                .AddInMemoryBoundObjects(store => { store.AddServiceAccount("default", "builder"); store.AddPod("default", "web-0", "builder"); });
        using var sp = services.BuildServiceProvider();

        var status = await sp.GetRequiredService<ITokenIssuer>().IssueAsync("default", "builder", new TokenRequestSpec {
            Audiences = ["orders"], ExpirationSeconds = 600,
            BoundObjectRef = new() { Kind = "Pod", ApiVersion = "v1", Name = "web-0" } });

        var result = await sp.GetRequiredService<ITokenVerifier>().VerifyAsync(status.Token, ["orders"]);
        Console.WriteLine(result.Succeeded ? result.User!.Username : result.Error);   // system:serviceaccount:default:builder
        // --- README snippet ends ---

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal("system:serviceaccount:default:builder", result.User!.Username);
        Assert.Equal(["orders"], result.Audiences);
        Assert.False((await sp.GetRequiredService<ITokenVerifier>().VerifyAsync(status.Token, ["billing"])).Succeeded);
    }
}
