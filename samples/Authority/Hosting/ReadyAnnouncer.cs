using TokenAuthority.Samples.Shared;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;
using TokenAuthority.Samples.Authority.Bootstrap;

namespace TokenAuthority.Samples.Authority.Hosting;

/// <summary>Once the server listens, writes the kubeconfig for the address it listens on, then logs where, the kubeconfig path and a ready-to-paste kubectl command.</summary>
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
        if (AuthorityBootstrapper.WriteKubeconfig(bootstrap, address.Server))
        {
            logger.FileWritten(directory.Kubeconfig);
        }

        logger.Listening(string.Join(", ", addresses), options.Value.Issuer ?? string.Empty);
        logger.KubeconfigReady(directory.Kubeconfig, directory.AdminToken, directory.TlsCertificate);
        logger.ReviewerTokenReady(directory.ReviewerToken);
        logger.TryIt(directory.Kubeconfig);
    }
}
