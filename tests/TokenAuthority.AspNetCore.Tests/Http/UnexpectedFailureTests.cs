using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using TokenAuthority.AspNetCore.Tests.TestSupport;
using TokenAuthority.Issuing;
using TokenAuthority.Model;
using TokenAuthority.Verifying;

namespace TokenAuthority.AspNetCore.Tests.Http;

/// <summary>A bug below the HTTP layer is a 500 Status with a generic message, never a crash or a leaked detail.</summary>
public sealed class UnexpectedFailureTests
{
    [Fact]
    public async Task ThrowingCoreIsAGeneric500Status()
    {
        await using var server = await AuthorityServer.StartAsync(new AuthorityServerOptions
        {
            ConfigureServices = s =>
            {
                s.Replace(ServiceDescriptor.Singleton<ITokenIssuer, ThrowingCore>());
                s.Replace(ServiceDescriptor.Singleton<ITokenVerifier, ThrowingCore>());
            },
        });
        using var client = server.CreateClient();
        const string expected = """{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Internal error occurred: the request could not be processed","reason":"InternalError","details":{"causes":[{"message":"the request could not be processed"}]},"code":500}""";

        using var issue = await client.PostJsonAsync("/api/v1/namespaces/default/serviceaccounts/builder/token", "{}");
        Assert.Equal(HttpStatusCode.InternalServerError, issue.StatusCode);
        Assert.Equal(expected, await issue.Content.ReadAsStringAsync());

        using var review = await client.PostJsonAsync("/apis/authentication.k8s.io/v1/tokenreviews", """{"spec":{"token":"x"}}""");
        Assert.Equal(HttpStatusCode.InternalServerError, review.StatusCode);
        Assert.Equal(expected, await review.Content.ReadAsStringAsync());
    }

    private sealed class ThrowingCore : ITokenIssuer, ITokenVerifier
    {
        public ValueTask<TokenRequestResult> CreateTokenAsync(string namespaceName, string name, TokenRequest request, CancellationToken cancellationToken = default) =>
            throw new InvalidOperationException("secret detail that must not leak");

        public ValueTask<TokenVerificationResult> VerifyAsync(string token, IReadOnlyList<string>? audiences = null, CancellationToken cancellationToken = default) =>
            throw new InvalidOperationException("secret detail that must not leak");
    }
}
