using TokenAuthority.Samples.Shared;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;
using TokenAuthority.Samples.BuildServer.Bootstrap;

namespace TokenAuthority.Samples.BuildServer.Hosting;

/// <summary>Once the server listens, logs where, the admin token and CA paths, and a ready-to-paste curl command.</summary>
internal sealed class ReadyAnnouncer(
    IHostApplicationLifetime lifetime,
    IServer server,
    BootstrapResult bootstrap,
    ServingAddress address,
    IOptions<TokenAuthorityOptions> options,
    ILogger<ReadyAnnouncer> logger) : IHostedService
{
    private CancellationTokenRegistration _registration;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var path in bootstrap.Created)
        {
            logger.FileWritten(path);
        }

        logger.DataDirectoryReady(bootstrap.Directory.Root, bootstrap.Directory.Database);
        _registration = lifetime.ApplicationStarted.Register(Announce);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _registration.Dispose();
        return Task.CompletedTask;
    }

    private void Announce()
    {
        var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var directory = bootstrap.Directory;
        var issuer = options.Value.Issuer ?? string.Empty;
        logger.Listening(string.Join(", ", addresses), issuer, address.Issuer + "/.well-known/openid-configuration");
        logger.AdminTokenReady(directory.AdminToken, directory.TlsCertificate);

        // The token itself is never logged: the command reads it from the file.
        logger.TryIt(directory.TlsCertificate, directory.AdminToken, address.Issuer);
    }
}
