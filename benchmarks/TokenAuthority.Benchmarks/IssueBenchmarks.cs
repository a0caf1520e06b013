using System.Security.Claims;
using System.Text;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace TokenAuthority.Benchmarks;

/// <summary>
/// A TokenRequest for a pod-bound token (two object lookups, claims, header, signature), beside signing the same
/// number of bytes raw (the floor) and JsonWebTokenHandler.CreateToken with the same claims (the peer).
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory, BenchmarkLogicalGroupRule.ByParams)]
[CategoriesColumn]
public class IssueBenchmarks
{
    private BenchmarkAuthority _authority = null!;
    private byte[] _signingInput = null!;
    private JsonWebTokenHandler _handler = null!;
    private SecurityTokenDescriptor _descriptor = null!;

    [Params("ES256", "RS256")]
    public string Algorithm { get; set; } = "ES256";

    [GlobalSetup]
    public void Setup()
    {
        _authority = new BenchmarkAuthority(Algorithm);
        var token = _authority.IssuePodBound();
        _signingInput = Encoding.ASCII.GetBytes(token[..token.LastIndexOf('.')]);
        _handler = new JsonWebTokenHandler();
        var now = DateTime.UtcNow;
        _descriptor = new SecurityTokenDescriptor
        {
            Issuer = BenchmarkAuthority.Issuer,
            Audience = "api",
            IssuedAt = now,
            NotBefore = now,
            Expires = now.AddHours(1),
            Subject = new ClaimsIdentity([new Claim("sub", "system:serviceaccount:default:builder")]),
            Claims = new Dictionary<string, object>
            {
                ["jti"] = Guid.NewGuid().ToString(),
                ["kubernetes.io"] = new Dictionary<string, object>
                {
                    ["namespace"] = "default",
                    ["node"] = new Dictionary<string, object> { ["name"] = "node-1", ["uid"] = "node-uid-1" },
                    ["pod"] = new Dictionary<string, object> { ["name"] = "web-0", ["uid"] = "pod-uid-1" },
                    ["serviceaccount"] = new Dictionary<string, object> { ["name"] = "builder", ["uid"] = "sa-uid-1" },
                },
            },
            SigningCredentials = _authority.Ecdsa is not null
                ? new SigningCredentials(new ECDsaSecurityKey(_authority.Ecdsa) { KeyId = _authority.Key.KeyId }, SecurityAlgorithms.EcdsaSha256)
                : new SigningCredentials(new RsaSecurityKey(_authority.Rsa) { KeyId = _authority.Key.KeyId }, SecurityAlgorithms.RsaSha256),
        };
    }

    [GlobalCleanup]
    public void Cleanup() => _authority.Dispose();

    [Benchmark(Baseline = true, Description = "raw signature")]
    [BenchmarkCategory("Issue")]
    public byte[] RawSign() => _authority.RawSign(_signingInput);

    [Benchmark(Description = "TokenAuthority TokenRequest")]
    [BenchmarkCategory("Issue")]
    public async Task<string> Ours() => (await _authority.Issuer_.CreateTokenAsync("default", "builder", BenchmarkAuthority.PodBoundRequest)).Response!.Status.Token;

    [Benchmark(Description = "JsonWebTokenHandler.CreateToken")]
    [BenchmarkCategory("Issue")]
    public string JsonWebTokenHandlerCreate() => _handler.CreateToken(_descriptor);
}
