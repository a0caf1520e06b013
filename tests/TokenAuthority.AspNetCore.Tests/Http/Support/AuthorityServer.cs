using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TokenAuthority.AspNetCore.Http;
using TokenAuthority.Binding;
using TokenAuthority.Keys;
using TokenAuthority.Verifying;

namespace TokenAuthority.AspNetCore.Tests.Http.Support;

/// <summary>
/// A real Kestrel server on 127.0.0.1 (a free port, TLS with a fresh self-signed certificate) hosting
/// <c>MapTokenAuthority()</c>. The issuer is the server's own https address, so discovery works end to end.
/// TokenRequest and TokenReview require the <c>admin</c> user (<c>Bearer admin-token</c>) unless
/// <see cref="AuthorityServerOptions.RequireAdmin"/> is off.
/// </summary>
public sealed class AuthorityServer : IAsyncDisposable
{
    public const string Namespace = "default";
    public const string ServiceAccountName = "builder";
    public const string ServiceAccountUid = "sa-uid-builder";

    private readonly WebApplication _app;
    private readonly Socket _socket;

    private AuthorityServer(WebApplication app, Socket socket, Uri baseAddress, X509Certificate2 certificate)
    {
        _app = app;
        _socket = socket;
        BaseAddress = baseAddress;
        Certificate = certificate;
    }

    /// <summary>The https base address, without a trailing slash (also the issuer).</summary>
    public Uri BaseAddress { get; }

    public string Issuer => BaseAddress.AbsoluteUri.TrimEnd('/');

    public X509Certificate2 Certificate { get; }

    /// <summary>Every request the server saw, in order.</summary>
    public System.Collections.Concurrent.ConcurrentQueue<RecordedRequest> Requests { get; private init; } = new();

    public string CertificatePem => Certificate.ExportCertificatePem();

    public IServiceProvider Services => _app.Services;

    public InMemoryBoundObjectResolver Store => Services.GetRequiredService<InMemoryBoundObjectResolver>();

    public ITokenVerifier Verifier => Services.GetRequiredService<ITokenVerifier>();

    public static async Task<AuthorityServer> StartAsync(AuthorityServerOptions? options = null)
    {
        options ??= new AuthorityServerOptions();
        var certificate = TestCertificate.Create();
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        socket.Listen(128);
        var port = ((IPEndPoint)socket.LocalEndPoint!).Port;
        var baseAddress = new Uri($"https://127.0.0.1:{port}");
        var issuer = baseAddress.AbsoluteUri.TrimEnd('/');

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.ListenHandle((ulong)socket.Handle, l => l.UseHttps(certificate)));
        builder.Services.AddTokenAuthority(o =>
        {
            o.Issuer = issuer;
            o.SigningKey = TokenKey.ParsePem(HttpTestKeys.RsaPrivateKey)[0];
            o.MaxExpirationSeconds = options.MaxExpirationSeconds;
            foreach (var audience in options.ApiAudiences)
            {
                o.ApiAudiences.Add(audience);
            }
        }).AddInMemoryBoundObjects(store =>
        {
            store.AddServiceAccount(Namespace, ServiceAccountName, ServiceAccountUid);
            store.AddPod(Namespace, "web-0", ServiceAccountName, nodeName: "node-1", uid: "pod-uid-web-0");
            store.AddSecret(Namespace, "creds", uid: "secret-uid-creds");
            store.AddNode("node-1", uid: "node-uid-1");
        });
        builder.Services.AddTokenAuthorityEndpoints(o =>
        {
            o.KubernetesVersion = options.KubernetesVersion;
            o.MaxRequestBodySize = options.MaxRequestBodySize;
        });
        builder.Services.AddAuthentication(TestAuthenticationHandler.SchemeName)
            .AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, TestAuthenticationHandler>(TestAuthenticationHandler.SchemeName, null);
        builder.Services.AddAuthorization(a =>
        {
            a.AddPolicy("admin", p => p.RequireAuthenticatedUser().RequireUserName("admin"));
            if (options.FallbackRequiresAuthentication)
            {
                a.FallbackPolicy = new Microsoft.AspNetCore.Authorization.AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build();
            }
        });
        options.ConfigureServices?.Invoke(builder.Services);

        var app = builder.Build();
        var requests = new System.Collections.Concurrent.ConcurrentQueue<RecordedRequest>();
        app.Use((context, next) =>
        {
            requests.Enqueue(new RecordedRequest(context.Request.Method, context.Request.Path + context.Request.QueryString, context.Request.ContentType, context.Request.Headers.UserAgent.ToString()));
            return next(context);
        });
        app.UseAuthentication();
        app.UseAuthorization();
        var api = app.MapTokenAuthority();
        if (options.RequireAdmin)
        {
            api.RequireAuthorization("admin");
        }

        options.ConfigureApp?.Invoke(app);
        await app.StartAsync().ConfigureAwait(false);
        return new AuthorityServer(app, socket, baseAddress, certificate) { Requests = requests };
    }

    /// <summary>An HttpClient that trusts exactly this server's certificate.</summary>
    public HttpClient CreateClient(string? bearerToken = TestAuthenticationHandler.AdminToken)
    {
        var thumbprint = Certificate.Thumbprint;
        var handler = new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, cert, _, _) => cert is not null && cert.Thumbprint == thumbprint,
        };
        var client = new HttpClient(handler) { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        if (bearerToken is not null)
        {
            client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", bearerToken);
        }

        return client;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        _socket.Dispose();
        Certificate.Dispose();
    }
}
