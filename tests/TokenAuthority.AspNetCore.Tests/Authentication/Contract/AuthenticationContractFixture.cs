using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using TokenAuthority.AspNetCore.Tests.TestSupport;
using TokenAuthority.Binding;
using TokenAuthority.Issuing;
using TokenAuthority.Model;

namespace TokenAuthority.AspNetCore.Tests.Authentication.Contract;

/// <summary>
/// One way of authenticating callers, stood up for <see cref="AuthenticationContractTests{TFixture}"/>: an authority
/// (on <see cref="AuthorityClock"/>, with the objects of <see cref="Seed"/>) that issues the tokens, and a service app
/// for audience <see cref="Audience"/> that authenticates them with the path under test and maps <see cref="ContractEndpoints"/>.
/// </summary>
public abstract class AuthenticationContractFixture : IAsyncLifetime
{
    public const string Audience = "orders";

    /// <summary>The host-registered kind of the contract: <c>Workflow</c> (<c>example.com</c>), claim member <c>workflow</c>.</summary>
    public static readonly BoundObjectKind Workflow = new() { Kind = "Workflow", Group = "example.com", Resource = "workflows" };

    private WebApplication? _service;
    private HttpClient? _client;

    /// <summary>The authority's clock; a negative offset issues tokens in the past.</summary>
    public OffsetClock AuthorityClock { get; } = new();

    /// <summary>
    /// Whether the path sees bound objects (and so refuses a token whose pod was deleted or recreated). The stateless
    /// JwtBearer helper does not: the one expected difference between the paths.
    /// </summary>
    public abstract bool SeesBoundObjects { get; }

    /// <summary>
    /// Whether the 401's <c>error_description</c> is the Kubernetes text. The TokenAuthority and TokenReview schemes write
    /// it; the stock JwtBearer handler writes IdentityModel's own texts for the refusals it makes (the failure kind is the same).
    /// </summary>
    public abstract bool WritesKubernetesTexts { get; }

    public HttpClient Client => _client ?? throw new InvalidOperationException("not started");

    /// <summary>The services of the service app (for the local scheme, also the authority's).</summary>
    protected IServiceProvider ServiceServices => _service?.Services ?? throw new InvalidOperationException("not started");

    /// <summary>The authority's in-memory objects.</summary>
    public InMemoryBoundObjectResolver Store => AuthorityServices.GetRequiredService<InMemoryBoundObjectResolver>();

    /// <summary>The services of the app that issues the tokens.</summary>
    protected abstract IServiceProvider AuthorityServices { get; }

    /// <summary>The test cluster (<see cref="TestObjects.Seed"/>) and one <c>Workflow</c>, <c>default/wf-1</c>.</summary>
    public static void Seed(InMemoryBoundObjectResolver store)
    {
        TestObjects.Seed(store);
        store.Set(new BoundObject { Kind = Workflow.Kind, Namespace = TestObjects.Namespace, Name = "wf-1", Uid = "wf-uid-1" });
    }

    /// <summary>Issues a token of <c>default/builder</c> through the authority's issuer.</summary>
    public async Task<string> IssueAsync(BoundObjectReference? boundTo, string[] audiences, long seconds = 3600)
    {
        var issuer = AuthorityServices.GetRequiredService<ITokenIssuer>();
        var status = await issuer.IssueAsync(TestObjects.Namespace, TestObjects.ServiceAccountName, new TokenRequestSpec
        {
            Audiences = audiences,
            ExpirationSeconds = seconds,
            BoundObjectRef = boundTo,
        });
        return status.Token;
    }

    /// <summary>Issues a token whose life ended an hour ago.</summary>
    public async Task<string> IssueExpiredAsync()
    {
        AuthorityClock.Offset = TimeSpan.FromHours(-2);
        try
        {
            return await IssueAsync(null, [Audience]);
        }
        finally
        {
            AuthorityClock.Offset = TimeSpan.Zero;
        }
    }

    public async Task<HttpResponseMessage> GetAsync(string path, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return await Client.SendAsync(request);
    }

    public async Task InitializeAsync()
    {
        await StartAuthorityAsync();
        var builder = TestHost.CreateBuilder();
        builder.WebHost.UseTestServer();
        ConfigureService(builder);
        builder.Services.AddAuthorization();
        _service = builder.Build();
        ContractEndpoints.Map(_service);
        await _service.StartAsync();
        _client = _service.GetTestClient();
    }

    public async Task DisposeAsync()
    {
        _client?.Dispose();
        if (_service is not null)
        {
            await _service.StopAsync();
            await _service.DisposeAsync();
        }

        await StopAuthorityAsync();
    }

    /// <summary>Starts the authority (for the local scheme: nothing, the service is the authority).</summary>
    protected abstract Task StartAuthorityAsync();

    /// <summary>Registers the authentication under test (and, for the local scheme, the authority) on the service.</summary>
    protected abstract void ConfigureService(WebApplicationBuilder builder);

    protected abstract Task StopAuthorityAsync();
}
