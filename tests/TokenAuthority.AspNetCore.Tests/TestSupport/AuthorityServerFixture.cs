namespace TokenAuthority.AspNetCore.Tests.TestSupport;

/// <summary>One default <see cref="AuthorityServer"/> shared by a test class.</summary>
public sealed class AuthorityServerFixture : IAsyncLifetime
{
    private AuthorityServer? _server;

    public AuthorityServer Server => _server ?? throw new InvalidOperationException("not started");

    public async Task InitializeAsync() => _server = await AuthorityServer.StartAsync();

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
