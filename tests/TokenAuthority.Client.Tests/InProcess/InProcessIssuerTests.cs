using Microsoft.Extensions.DependencyInjection;
using TokenAuthority.Issuing;
using TokenAuthority.Model;
using TokenAuthority.Verifying;

namespace TokenAuthority.Client.Tests;

/// <summary>
/// The in-process source: the client package does not depend on the issuer; the host adapts ITokenIssuer in one lambda
/// (the snippet of docs/client.md, kept compiling and true).
/// </summary>
public sealed class InProcessIssuerTests
{
    private static ServiceProvider Services()
    {
        var services = new ServiceCollection().AddLogging();
        services.AddTokenAuthority(o => o.Issuer = "https://auth.example.com")
            .AddInMemoryBoundObjects(store => store.AddServiceAccount("default", "builder"));
        // --- docs/client.md in-process snippet starts ---
        services.AddTokenAuthorityClient(o => (o.Namespace, o.ServiceAccountName) = ("default", "builder"))
            .UseRequester(sp => TokenRequester.Create(async (ns, name, spec, ct) =>
            {
                var result = await sp.GetRequiredService<ITokenIssuer>().CreateTokenAsync(ns, name, new TokenRequest { Spec = spec }, ct);
                return result.Succeeded ? result.Response : throw new TokenRequestException(ns, name, result.Error.ToStatus());
            }));
        // --- docs/client.md in-process snippet ends ---
        return services.BuildServiceProvider();
    }

    [Fact]
    public async Task In_process_issuer_tokens_verify_for_the_requested_audience()
    {
        using var sp = Services();
        var source = sp.GetRequiredService<IServiceAccountTokenSource>();

        var token = await source.GetTokenAsync(new ServiceAccountTokenRequest { Namespace = "default", Name = "builder", Audiences = ["orders"], ExpirationSeconds = 600 });

        var verified = await sp.GetRequiredService<ITokenVerifier>().VerifyAsync(token.Value, ["orders"]);
        Assert.True(verified.Succeeded, verified.Error);
        Assert.Equal("system:serviceaccount:default:builder", verified.User!.Username);
        Assert.False(string.IsNullOrEmpty(token.ServiceAccountUid));
        Assert.Same(token, await source.GetTokenAsync(new ServiceAccountTokenRequest { Namespace = "default", Name = "builder", Audiences = ["orders"], ExpirationSeconds = 600 }));
    }

    [Fact]
    public async Task In_process_refusal_names_the_issuers_message()
    {
        using var sp = Services();
        var source = sp.GetRequiredService<IServiceAccountTokenSource>();

        var error = await Assert.ThrowsAsync<TokenRequestException>(() =>
            source.GetTokenAsync(new ServiceAccountTokenRequest { Namespace = "default", Name = "nobody", Audiences = ["orders"] }).AsTask());

        Assert.Contains("serviceaccounts \"nobody\" not found", error.Message, StringComparison.Ordinal);
    }
}
