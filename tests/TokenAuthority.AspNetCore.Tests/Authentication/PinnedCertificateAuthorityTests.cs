using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Time.Testing;
using TokenAuthority.Server;
using TokenAuthority.Validation;
using TokenAuthority.AspNetCore.Tests.TestSupport;

namespace TokenAuthority.AspNetCore.Tests.Authentication;

/// <summary>
/// Trusting exactly one CA for the authority's TLS (the one component the TokenReview client, OrdersApi and the tests
/// share): the chain must end in a pinned CA whatever the machine trusts, the host name is still checked, and
/// validity follows the injected clock.
/// </summary>
public sealed class PinnedCertificateAuthorityTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 7, 24, 12, 0, 0, TimeSpan.Zero);

    private readonly X509Certificate2 _authority = TestCertificates.CreateAuthority("CN=tokens-ca", Start);
    private readonly X509Certificate2 _stranger = TestCertificates.CreateAuthority("CN=stranger-ca", Start);
    private readonly X509Certificate2 _server;
    private readonly FakeTimeProvider _clock = new(Start.AddMinutes(10));

    public PinnedCertificateAuthorityTests() => _server = TestCertificates.CreateServer(_authority, "tokens.example.com", Start);

    public void Dispose()
    {
        _server.Dispose();
        _stranger.Dispose();
        _authority.Dispose();
    }

    private PinnedCertificateAuthority Pin(X509Certificate2 authority) => new([authority], _clock);

    [Fact]
    public void A_certificate_issued_by_the_pinned_ca_is_accepted_although_the_machine_does_not_know_that_ca()
    {
        Assert.True(Pin(_authority).Validate(_server, null, SslPolicyErrors.RemoteCertificateChainErrors));
    }

    [Theory]
    [InlineData(SslPolicyErrors.None)]
    [InlineData(SslPolicyErrors.RemoteCertificateChainErrors)]
    public void A_certificate_of_another_ca_is_refused_even_when_the_machine_trusts_it(SslPolicyErrors platformVerdict)
    {
        Assert.False(Pin(_stranger).Validate(_server, null, platformVerdict));
    }

    [Theory]
    [InlineData(SslPolicyErrors.RemoteCertificateNameMismatch)]
    [InlineData(SslPolicyErrors.RemoteCertificateNameMismatch | SslPolicyErrors.RemoteCertificateChainErrors)]
    [InlineData(SslPolicyErrors.RemoteCertificateNotAvailable)]
    public void A_name_mismatch_is_never_forgiven(SslPolicyErrors platformVerdict)
    {
        Assert.False(Pin(_authority).Validate(_server, null, platformVerdict));
    }

    [Fact]
    public void No_certificate_is_refused()
    {
        Assert.False(Pin(_authority).Validate(null, null, SslPolicyErrors.None));
    }

    [Fact]
    public void Validity_is_judged_on_the_injected_clock()
    {
        var pinned = Pin(_authority);
        _clock.SetUtcNow(_server.NotAfter.ToUniversalTime().AddMinutes(-1));
        Assert.True(pinned.Validate(_server, null, SslPolicyErrors.RemoteCertificateChainErrors));

        _clock.Advance(TimeSpan.FromMinutes(2));
        Assert.False(pinned.Validate(_server, null, SslPolicyErrors.RemoteCertificateChainErrors));
    }

    [Fact]
    public void The_pinned_set_is_a_copy_and_an_empty_set_is_refused()
    {
        var authorities = new X509Certificate2Collection(_authority);
        var pinned = new PinnedCertificateAuthority(authorities, _clock);
        authorities.Clear();
        authorities.Add(_stranger);

        Assert.True(pinned.Validate(_server, null, SslPolicyErrors.RemoteCertificateChainErrors));
        Assert.Throws<ArgumentException>(() => new PinnedCertificateAuthority([]));
    }

    [Fact]
    public void A_pem_file_without_a_certificate_is_refused_with_its_path()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, "not a certificate");
            var error = Assert.Throws<InvalidOperationException>(() => PinnedCertificateAuthority.FromPemFile(path));
            Assert.Contains(path, error.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task Over_real_tls_the_handler_trusts_only_the_pinned_ca_and_checks_the_host_name()
    {
        var now = DateTimeOffset.UtcNow;
        using var authority = TestCertificates.CreateAuthority("CN=tokens-ca", now.AddMinutes(-5));
        using var stranger = TestCertificates.CreateAuthority("CN=stranger-ca", now.AddMinutes(-5));
        using var server = TestCertificates.CreateServer(authority, "localhost", now.AddMinutes(-5));
        var caFile = TestCertificates.WritePem(authority);
        var builder = TestHost.CreateBuilder();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.UseHttps(server)));
        await using var app = builder.Build();
        app.MapGet("/", () => "ok");
        await app.StartAsync();
        var port = new Uri(TestHost.Address(app)).Port;
        try
        {
            using var pinned = new HttpClient(PinnedCertificateAuthority.FromPemFile(caFile).CreateHandler());
            using var otherCa = new HttpClient(new PinnedCertificateAuthority([stranger]).CreateHandler());

            Assert.Equal("ok", await pinned.GetStringAsync(new Uri($"https://localhost:{port}/")));
            await Assert.ThrowsAsync<HttpRequestException>(() => otherCa.GetStringAsync(new Uri($"https://localhost:{port}/")));
            // The certificate names localhost only: the same server under its address is refused.
            await Assert.ThrowsAsync<HttpRequestException>(() => pinned.GetStringAsync(new Uri($"https://127.0.0.1:{port}/")));
        }
        finally
        {
            File.Delete(caFile);
        }
    }

    [Fact]
    public void The_handler_never_follows_a_redirect()
    {
        using var handler = Pin(_authority).CreateHandler();

        Assert.False(handler.AllowAutoRedirect);
        Assert.NotNull(handler.SslOptions.RemoteCertificateValidationCallback);
    }
}
