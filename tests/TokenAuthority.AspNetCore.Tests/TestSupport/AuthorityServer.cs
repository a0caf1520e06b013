using TokenAuthority.Tests.TestSupport;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using TokenAuthority.Server;
using TokenAuthority.Validation;
using TokenAuthority.Binding;
using TokenAuthority.Keys;
using TokenAuthority.Verifying;

namespace TokenAuthority.AspNetCore.Tests.TestSupport;

/// <summary>
/// A real token authority in another "process": Kestrel on 127.0.0.1 (a free port, TLS with a fresh self-signed
/// certificate) hosting <c>AddTokenAuthority(...)</c> + <c>AddTokenAuthorityEndpoints()</c> + <c>MapTokenAuthority()</c>.
/// The issuer is the server's own https address, so discovery works end to end.
/// TokenRequest and TokenReview require <see cref="AuthorityServerOptions.ApiPolicy"/> (a server whose API ends up with
/// no authorization fails to start, as the library wants): by default the <c>admin</c>
/// user of the test scheme (<c>Bearer admin-token</c>); with <see cref="ReviewerPolicy"/> the service account
/// <c>kube-system/token-reviewer</c>, authenticated by the real TokenAuthority handler from a token for the API
/// audience (<see cref="ReviewerToken"/>), as a kube-apiserver would.
/// </summary>
public sealed class AuthorityServer : IAsyncDisposable
{
    public const string Namespace = TestObjects.Namespace;
    public const string ServiceAccountName = TestObjects.ServiceAccountName;
    public const string ServiceAccountUid = TestObjects.ServiceAccountUid;

    /// <summary>The test scheme's user <c>admin</c> (<see cref="TestAuthenticationHandler.AdminToken"/>).</summary>
    public const string AdminPolicy = "admin";

    /// <summary>The service account <c>kube-system/token-reviewer</c>, authenticated by <see cref="ServiceAccountScheme"/>.</summary>
    public const string ReviewerPolicy = "token-reviewer";

    /// <summary>The real TokenAuthority handler, accepting tokens for the API audience (the issuer).</summary>
    public const string ServiceAccountScheme = "ServiceAccount";

    public const string TokenReviewPath = "/apis/authentication.k8s.io/v1/tokenreviews";

    private readonly Socket _socket;
    private WebApplication? _app;
    private string? _certificateAuthorityFile;
    private int _reviews;
    private string? _reviewerToken;

    private AuthorityServer(Socket socket, Uri baseAddress, X509Certificate2 certificate, TimeProvider clock)
    {
        _socket = socket;
        BaseAddress = baseAddress;
        Certificate = certificate;
        Clock = clock;
    }

    /// <summary>The https base address, without a trailing slash (also the issuer).</summary>
    public Uri BaseAddress { get; }

    public string Issuer => BaseAddress.AbsoluteUri.TrimEnd('/');

    public X509Certificate2 Certificate { get; }

    public string CertificatePem => Certificate.ExportCertificatePem();

    /// <summary>A PEM file with the server's certificate (its own CA), written on first use and deleted on dispose.</summary>
    public string CertificateAuthorityFile => _certificateAuthorityFile ??= TestCertificates.WritePem(Certificate);

    /// <summary>The authority's clock (<see cref="AuthorityServerOptions.Clock"/>, or the system clock).</summary>
    public TimeProvider Clock { get; }

    /// <summary>Every request the server saw, in order.</summary>
    public System.Collections.Concurrent.ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    /// <summary>How many TokenReviews passed authorization (and so were answered, unless <see cref="HangReviews"/>).</summary>
    public int Reviews => Volatile.Read(ref _reviews);

    /// <summary>When set, authorized TokenReviews never get an answer (until the caller gives up).</summary>
    public bool HangReviews { get; set; }

    /// <summary>
    /// A token of <c>kube-system/token-reviewer</c> for the API audience, valid for a day on <see cref="Clock"/>;
    /// issued at start when <see cref="AuthorityServerOptions.ApiPolicy"/> is <see cref="ReviewerPolicy"/>.
    /// </summary>
    public string ReviewerToken => _reviewerToken ?? throw new InvalidOperationException($"Start the server with {nameof(AuthorityServerOptions.ApiPolicy)} = {nameof(ReviewerPolicy)} to get a reviewer token.");

    public IServiceProvider Services => _app!.Services;

    public InMemoryBoundObjectResolver Store => Services.GetRequiredService<InMemoryBoundObjectResolver>();

    public ITokenVerifier Verifier => Services.GetRequiredService<ITokenVerifier>();

    /// <summary>The seeded pod <c>default/web-0</c>.</summary>
    public BoundObject Pod => TestObjects.Pod(Store);

    public static async Task<AuthorityServer> StartAsync(AuthorityServerOptions? options = null)
    {
        options ??= new AuthorityServerOptions();
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        socket.Listen(128);
        var port = ((IPEndPoint)socket.LocalEndPoint!).Port;
        var server = new AuthorityServer(socket, new Uri($"https://127.0.0.1:{port}"), TestCertificates.CreateLoopback(), options.Clock ?? TimeProvider.System);
        try
        {
            await server.RunAsync(options).ConfigureAwait(false);
        }
        catch
        {
            // A server that fails to start (what some tests expect) must not keep its port, certificate or host.
            await server.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return server;
    }

    /// <summary>Issues a token through the authority's core issuer (on <see cref="Clock"/>).</summary>
    public Task<string> IssueAsync(string[] audiences, BoundObject? boundTo = null, long seconds = 3600, string ns = Namespace, string serviceAccount = ServiceAccountName) =>
        Tokens.IssueAsync(Services, audiences, boundTo, ns, serviceAccount, seconds);

    /// <summary>A handler that trusts exactly this server's certificate (its own CA), as OrdersApi and the TokenReview client do; the host name is checked.</summary>
    public HttpMessageHandler CreateHandler() => new PinnedCertificateAuthority([Certificate]).CreateHandler();

    /// <summary>An HttpClient that trusts exactly this server's certificate.</summary>
    public HttpClient CreateClient(string? bearerToken = TestAuthenticationHandler.AdminToken)
    {
        var client = new HttpClient(CreateHandler()) { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        if (bearerToken is not null)
        {
            client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", bearerToken);
        }

        return client;
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync().ConfigureAwait(false);
            await _app.DisposeAsync().ConfigureAwait(false);
        }

        _socket.Dispose();
        if (_certificateAuthorityFile is not null)
        {
            File.Delete(_certificateAuthorityFile);
        }

        Certificate.Dispose();
    }

    private async Task RunAsync(AuthorityServerOptions options)
    {
        var builder = TestHost.CreateBuilder(options.Logs, Clock);
        builder.WebHost.ConfigureKestrel(k => k.ListenHandle((ulong)_socket.Handle, l => l.UseHttps(Certificate)));
        builder.Services.AddTokenAuthority(o =>
        {
            o.Issuer = Issuer;
            o.SigningKey = TokenKey.ParsePem(KubernetesTestKeys.RsaPrivateKey)[0];
            o.MaxExpirationSeconds = options.MaxExpirationSeconds;
            foreach (var audience in options.ApiAudiences)
            {
                o.ApiAudiences.Add(audience);
            }
        }).AddInMemoryBoundObjects(TestObjects.Seed);
        builder.Services.AddTokenAuthorityEndpoints(o =>
        {
            o.KubernetesVersion = options.KubernetesVersion;
            o.MaxRequestBodySize = options.MaxRequestBodySize;
        });
        builder.Services.AddAuthentication(TestAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, TestAuthenticationHandler>(TestAuthenticationHandler.SchemeName, null)
            .AddTokenAuthorityBearer(ServiceAccountScheme, _ => { });
        builder.Services.AddOptions<TokenAuthority.Validation.TokenAuthorityAuthenticationOptions>(ServiceAccountScheme)
            .Configure<IOptions<TokenAuthorityOptions>>((o, core) =>
            {
                foreach (var audience in core.Value.EffectiveApiAudiences())
                {
                    o.Audiences.Add(audience);
                }
            });
        builder.Services.AddAuthorization(a =>
        {
            a.AddPolicy(AdminPolicy, p => p.RequireAuthenticatedUser().RequireUserName("admin"));
            a.AddPolicy(ReviewerPolicy, p => p.AddAuthenticationSchemes(ServiceAccountScheme).RequireServiceAccount(TestObjects.ReviewerNamespace, TestObjects.ReviewerName));
            if (options.FallbackRequiresAuthentication)
            {
                a.FallbackPolicy = new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build();
            }
        });
        options.ConfigureServices?.Invoke(builder.Services);

        var app = builder.Build();
        app.Use((context, next) =>
        {
            Requests.Enqueue(new RecordedRequest(context.Request.Method, context.Request.Path + context.Request.QueryString, context.Request.ContentType, context.Request.Headers.UserAgent.ToString()));
            return next(context);
        });
        app.UseAuthentication();
        app.UseAuthorization();

        // Runs only for requests that passed authorization (the endpoint itself runs after it).
        app.Use(async (context, next) =>
        {
            if (HttpMethods.IsPost(context.Request.Method) && context.Request.Path == TokenReviewPath)
            {
                Interlocked.Increment(ref _reviews);
                if (HangReviews)
                {
                    await Task.Delay(Timeout.Infinite, context.RequestAborted).ConfigureAwait(false);
                }
            }

            await next(context).ConfigureAwait(false);
        });
        var api = options.MapApi?.Invoke(app) ?? app.MapTokenAuthority();
        if (options.ApiPolicy is { } policy)
        {
            api.RequireAuthorization(policy);
        }

        options.ConfigureApi?.Invoke(api);

        options.ConfigureApp?.Invoke(app);
        _app = app;
        await app.StartAsync().ConfigureAwait(false);
        if (options.ApiPolicy == ReviewerPolicy)
        {
            _reviewerToken = await IssueAsync([], seconds: 86_400, ns: TestObjects.ReviewerNamespace, serviceAccount: TestObjects.ReviewerName).ConfigureAwait(false);
        }
    }
}
