using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TokenAuthority.Client;

namespace TokenAuthority.Samples.Worker;

/// <summary>
/// Calls OrdersApi on an interval with an HttpClient that carries a service-account token (<c>AddServiceAccountToken</c>):
/// no token code here; the token source refreshes in the background and the handler attaches the current token.
/// </summary>
internal sealed partial class OrdersCaller(IHttpClientFactory clients, IOptions<WorkerOptions> options, IOptions<ServiceAccountTokenSourceOptions> identity, TimeProvider time, ILogger<OrdersCaller> logger)
    : BackgroundService
{
    public const string ClientName = "orders";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        logger.Started(o.OrdersUrl, o.Interval, identity.Value.Namespace, identity.Value.ServiceAccountName, o.Audience);
        using var timer = new PeriodicTimer(o.Interval, time);
        do
        {
            await CallOnceAsync(stoppingToken);
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private async Task CallOnceAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var client = clients.CreateClient(ClientName);
            using var response = await client.GetAsync(new Uri("/orders", UriKind.Relative), cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                logger.Refused((int)response.StatusCode, response.StatusCode);
                return;
            }
            using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
            var caller = body.RootElement.TryGetProperty("caller", out var c) && c.TryGetProperty("username", out var u) ? u.GetString() : null;
            var orders = body.RootElement.TryGetProperty("orders", out var list) ? list.GetArrayLength() : 0;
            logger.Called((int)response.StatusCode, orders, caller);
        }
        catch (Exception e) when (e is HttpRequestException or TokenRequestException or JsonException or IOException)
        {
            // The next tick tries again; the token source has logged why a token could not be had.
            logger.Failed(e.Message, e);
        }
    }
}
