using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TokenAuthority.Validation;
using TokenAuthority.AspNetCore.Tests.Authentication.TestSupport;

namespace TokenAuthority.AspNetCore.Tests.Authentication;

/// <summary>
/// A refused request is one line in <c>TokenAuthority.Authentication</c> at the right level, naming the method, the path
/// (never the query), the client address, the reason and the credential id when the token's claims were verified; never
/// the token, and never a stack for an authority that is down.
/// </summary>
public sealed class RefusalLogTests
{
    private static (string Category, LogLevel Level, EventId EventId, string Message)[] RequestLines(CallerApp app) =>
        [.. app.Logs.Entries.Where(e => e.Category == LoggingExtensions.RequestCategory)];

    [Fact]
    public async Task An_expired_token_is_one_information_line_with_path_client_reason_and_credential_id()
    {
        await using var app = await ProtectedApp.StartAsync(kestrel: true);
        var token = await app.IssueAsync(["orders"], seconds: 600);
        app.Clock.Advance(TimeSpan.FromHours(1));

        using var response = await app.GetAsync("/orders?access_token=in-the-query", token);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var line = Assert.Single(RequestLines(app));
        Assert.Equal(LogLevel.Information, line.Level);
        Assert.Equal(2011, line.EventId.Id);
        Assert.Contains("GET /orders from 127.0.0.1 (scheme TokenAuthority): service account token has expired (expired, credential-id JTI=", line.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("in-the-query", line.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(app.Logs.Entries, e => e.Message.Contains(token.Split('.')[2], StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_token_that_is_not_ours_is_one_line_without_credential_id()
    {
        await using var app = await ProtectedApp.StartAsync(kestrel: true);

        using var response = await app.GetAsync("/orders", "not.a.token");

        var line = Assert.Single(RequestLines(app));
        Assert.Equal(2010, line.EventId.Id);
        Assert.Equal("Refused the bearer token of GET /orders from 127.0.0.1 (scheme TokenAuthority): invalid bearer token (not_recognized).", line.Message);
    }

    [Fact]
    public async Task A_path_cannot_write_a_line_of_its_own()
    {
        await using var app = await ProtectedApp.StartAsync(kestrel: true);

        using var response = await app.GetAsync("/orders%0Afake%0D", "not.a.token");

        var line = Assert.Single(RequestLines(app));
        Assert.DoesNotContain('\n', line.Message);
        Assert.DoesNotContain('\r', line.Message);
    }

    [Fact]
    public async Task An_unreachable_authority_is_one_warning_line_with_the_cause_and_no_stack()
    {
        int port;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        await using var service = await ServiceApp.StartAsync(TokenReviewAuthenticationDefaults.AuthenticationScheme, auth => auth.AddTokenReview(o =>
        {
            o.Authority = $"https://127.0.0.1:{port}";
            o.Audiences.Add("orders");
        }));
        var token = ResignedTokens.Sign(
            new System.Text.Json.Nodes.JsonObject { ["alg"] = "RS256", ["kid"] = "k" },
            new System.Text.Json.Nodes.JsonObject { ["iss"] = $"https://127.0.0.1:{port}", ["aud"] = new System.Text.Json.Nodes.JsonArray("orders") });

        using var response = await service.GetAsync("/orders", token);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var line = Assert.Single(RequestLines(service));
        Assert.Equal(LogLevel.Warning, line.Level);
        Assert.Equal(2012, line.EventId.Id);
        Assert.Contains($"TokenReview at https://127.0.0.1:{port}/apis/authentication.k8s.io/v1/tokenreviews failed: HttpRequestException: ", line.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("\n", line.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(service.Logs.Entries, e => e.Level >= LogLevel.Warning && e.Message.Contains("   at ", StringComparison.Ordinal));
        Assert.DoesNotContain(service.Logs.Entries, e => e.Message.Contains(token.Split('.')[2], StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("a\nb\r\u0085c", "a\uFFFDb\uFFFD\uFFFDc")]
    [InlineData("plain /path", "plain /path")]
    public void Log_text_replaces_control_characters(string text, string expected) => Assert.Equal(expected, LogText.Clean(text));

    [Fact]
    public void An_exception_summary_is_types_and_first_lines_without_a_stack()
    {
        Exception thrown;
        try
        {
            throw new HttpRequestException("outer\nsecond line", new SocketException((int)SocketError.ConnectionRefused));
        }
        catch (HttpRequestException e)
        {
            thrown = e;
        }

        var summary = LogText.Summary(thrown);

        Assert.StartsWith("HttpRequestException: outer <- SocketException: ", summary, StringComparison.Ordinal);
        Assert.DoesNotContain("second line", summary, StringComparison.Ordinal);
        Assert.DoesNotContain(" at ", summary, StringComparison.Ordinal);
    }
}
