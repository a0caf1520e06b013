using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using TokenAuthority.Binding;
using TokenAuthority.Discovery;
using TokenAuthority.Keys;
using TokenAuthority.Model;
using TokenAuthority.Verifying;

namespace TokenAuthority.AspNetCore.Tests.Authentication.TestSupport;

/// <summary>
/// A token authority in another "process": Kestrel on https://127.0.0.1:&lt;free port&gt; with a self-signed
/// certificate, serving OIDC discovery, the JWKS and a minimal TokenReview endpoint from the core services.
/// Stand-in for <c>MapTokenAuthority()</c> until the HTTP API exists; swap the three endpoints for it then.
/// The issuer is the server's own https URL, so the core is built once the port is known.
/// </summary>
public sealed class RemoteAuthorityServer : IAsyncDisposable
{
    public const string ReviewerToken = "reviewer-secret-token";

    private readonly WebApplication _app;
    private ServiceProvider? _core;
    private int _reviews;

    private RemoteAuthorityServer(WebApplication app, X509Certificate2 certificate)
    {
        _app = app;
        Certificate = certificate;
    }

    public X509Certificate2 Certificate { get; }

    public string Url { get; private set; } = string.Empty;

    public string CertificateAuthorityFile { get; private set; } = string.Empty;

    /// <summary>The authority's clock (starts at the real current time, so stock JWT validators agree with it).</summary>
    public FakeTimeProvider Clock { get; private set; } = null!;

    public IServiceProvider Core => _core!;

    public InMemoryBoundObjectResolver Store => Core.GetRequiredService<InMemoryBoundObjectResolver>();

    public BoundObject Pod => Store.ResolveAsync(new BoundObjectKey(BoundObjectKinds.Pod, "default", "web-0"), default).AsTask().Result!;

    /// <summary>How many TokenReviews were answered.</summary>
    public int Reviews => Volatile.Read(ref _reviews);

    /// <summary>When set, the TokenReview endpoint never answers (until the caller gives up).</summary>
    public bool HangReviews { get; set; }

    public static async Task<RemoteAuthorityServer> StartAsync(DateTimeOffset? clockStart = null)
    {
        var certificate = TestCertificates.CreateLoopback();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(certificate)));
        var app = builder.Build();
        var server = new RemoteAuthorityServer(app, certificate);

        app.MapGet(OpenIdMetadata.ConfigurationPath, () => Results.Text(server.Metadata.ConfigurationJson, OpenIdMetadata.ConfigurationContentType));
        app.MapGet(OpenIdMetadata.KeySetPath, () => Results.Text(server.Metadata.KeySetJson, OpenIdMetadata.KeySetContentType));
        app.MapPost("/apis/authentication.k8s.io/v1/tokenreviews", (Delegate)server.ReviewAsync);

        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        server.Url = address.TrimEnd('/');
        server.CertificateAuthorityFile = TestCertificates.WritePem(certificate);
        server.Clock = new FakeTimeProvider(clockStart ?? DateTimeOffset.UtcNow);

        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<TimeProvider>(server.Clock);
        services.AddTokenAuthority(o =>
        {
            o.Issuer = server.Url;
            o.SigningKey = TokenKey.ParsePem(TestKeys.RsaPrivateKey)[0];
        }).AddInMemoryBoundObjects(store =>
        {
            store.AddServiceAccount("default", "builder", "sa-uid-1");
            store.AddPod("default", "web-0", "builder", nodeName: "node-a", uid: "pod-uid-1");
        });
        server._core = services.BuildServiceProvider();
        _ = server._core.GetRequiredService<IOptions<TokenAuthorityOptions>>().Value;
        return server;
    }

    public Task<string> IssueAsync(string[] audiences, BoundObject? boundTo = null, long seconds = 3600) =>
        Tokens.IssueAsync(Core, audiences, boundTo, seconds: seconds);

    private OpenIdMetadata Metadata => Core.GetRequiredService<IOpenIdMetadataProvider>().Current;

    private async Task<IResult> ReviewAsync(HttpContext context)
    {
        var presented = Encoding.UTF8.GetBytes(context.Request.Headers.Authorization.ToString());
        var expected = Encoding.UTF8.GetBytes("Bearer " + ReviewerToken);
        if (!CryptographicOperations.FixedTimeEquals(presented, expected))
        {
            return Results.Json(new { kind = "Status", apiVersion = "v1", status = "Failure", message = "Unauthorized", reason = "Unauthorized", code = 401 }, statusCode: 401);
        }

        if (HangReviews)
        {
            await Task.Delay(Timeout.Infinite, context.RequestAborted);
        }

        var review = await JsonSerializer.DeserializeAsync(context.Request.Body, KubernetesJsonContext.Default.TokenReview, context.RequestAborted);
        if (review is null || string.IsNullOrEmpty(review.Spec.Token))
        {
            return Results.Json(new { kind = "Status", apiVersion = "v1", status = "Failure", message = "token is required for TokenReview in authentication", reason = "BadRequest", code = 400 }, statusCode: 400);
        }

        Interlocked.Increment(ref _reviews);
        var result = await Core.GetRequiredService<ITokenVerifier>().VerifyAsync(review.Spec.Token, review.Spec.Audiences, context.RequestAborted);
        var status = result.Succeeded
            ? new TokenReviewStatus { Authenticated = true, User = UserInfoFactory.WithAuthenticatedGroup(result.User!), Audiences = result.Audiences }
            : new TokenReviewStatus { Error = result.ReviewError };
        var body = JsonSerializer.Serialize(review with { Metadata = new ObjectMeta(), Status = status }, KubernetesJsonContext.Default.TokenReview);
        return Results.Text(body, "application/json", Encoding.UTF8, StatusCodes.Status201Created);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        if (_core is not null)
        {
            await _core.DisposeAsync();
        }

        File.Delete(CertificateAuthorityFile);
        Certificate.Dispose();
    }
}
