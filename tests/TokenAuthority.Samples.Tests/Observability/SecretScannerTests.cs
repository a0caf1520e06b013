using System.Security.Cryptography;
using TokenAuthority.Samples.Tests.TestSupport;

namespace TokenAuthority.Samples.Tests.Observability;

/// <summary>The scanner the no-secrets test relies on finds what is planted, and nothing in clean text.</summary>
public sealed class SecretScannerTests
{
    private const string Token = "eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJodHRwczovL2EifQ.c2lnbmF0dXJlLXBhcnQtb2YtdGhlLXRva2VuLWZvci10ZXN0cw";

    private static readonly string KeyPem = MakeKeyPem();

    private static string MakeKeyPem()
    {
        using var rsa = RSA.Create(2048);
        return rsa.ExportPkcs8PrivateKeyPem();
    }

    private static SecretScanner Scanner() => new SecretScanner()
        .AddToken("token", Token)
        .AddSecret("admin token", "admin-secret-value-1234567890")
        .AddPrivateKeyPem("sa.key", KeyPem);

    [Fact]
    public void Clean_log_lines_have_no_findings() =>
        Assert.Empty(Scanner().Find("log", "info: TokenAuthority.Authentication[2011] Refused the bearer token of GET /orders from 127.0.0.1 (scheme Bearer): service account token has expired (expired, credential-id JTI=4c5f8b9e-0d7a-4d63-9b7e-2f1f5b0c9a11)."));

    [Fact]
    public void A_logged_token_is_found_whole_and_by_its_signature()
    {
        var scanner = Scanner();

        Assert.Equal(["token in log", "token (signature) in log"], scanner.Find("log", "info: Bearer " + Token));
        Assert.Equal(["token (signature) in log"], scanner.Find("log", "signature " + Token.Split('.')[2]));
    }

    [Fact]
    public void The_admin_token_is_found() =>
        Assert.Equal(["admin token in body"], Scanner().Find("body", "{\"message\":\"admin-secret-value-1234567890\"}"));

    [Fact]
    public void A_piece_of_the_private_key_is_found_even_across_lines()
    {
        var body = string.Concat(KeyPem.Split('\n').Where(l => !l.StartsWith("-----", StringComparison.Ordinal)));
        var piece = body.Substring(100, 40);
        var wrapped = piece[..20] + "\n" + piece[20..];

        Assert.Single(Scanner().Find("log", "dump: " + piece));
        Assert.Single(Scanner().Find("log", "dump: " + wrapped));
        Assert.Empty(Scanner().Find("log", "dump: " + piece[..(SecretScanner.KeyWindow - 1)]));
    }
}
