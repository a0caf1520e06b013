using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace TokenAuthority.Benchmarks;

/// <summary>
/// Verification of a pod-bound token (two object lookups), beside the raw signature check (the floor) and
/// JsonWebTokenHandler (the peer). Cold: a verifier whose verification cache is off, so every call does the
/// whole work a never-seen token needs. Warm: the same token again, from the verification cache.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory, BenchmarkLogicalGroupRule.ByParams)]
[CategoriesColumn]
public class VerifyBenchmarks
{
    private static readonly string[] Api = ["api"];

    private BenchmarkAuthority _cold = null!;
    private BenchmarkAuthority _warm = null!;
    private BenchmarkAuthority _warmNoResolverCache = null!;
    private string _token = null!;
    private byte[] _signingInput = null!;
    private byte[] _signature = null!;
    private JsonWebTokenHandler _handler = null!;
    private TokenValidationParameters _parameters = null!;

    [Params("ES256", "RS256")]
    public string Algorithm { get; set; } = "ES256";

    [GlobalSetup]
    public void Setup()
    {
        _cold = new BenchmarkAuthority(Algorithm, BenchmarkAuthority.WithoutVerificationCache);
        _token = _cold.IssuePodBound();
        // The other authorities hold the same key, so the one token verifies everywhere.
        _warm = new BenchmarkAuthority(Algorithm, keyFrom: _cold);
        _warmNoResolverCache = new BenchmarkAuthority(Algorithm, BenchmarkAuthority.WithoutResolverCache, keyFrom: _cold);
        var dot = _token.LastIndexOf('.');
        _signingInput = Encoding.ASCII.GetBytes(_token[..dot]);
        _signature = Base64Url.DecodeFromChars(_token.AsSpan(dot + 1));
        _handler = new JsonWebTokenHandler();
        _parameters = new TokenValidationParameters
        {
            ValidIssuer = BenchmarkAuthority.Issuer,
            ValidAudience = "api",
            IssuerSigningKey = _cold.Ecdsa is not null ? new ECDsaSecurityKey(_cold.EcdsaPublic) : new RsaSecurityKey(_cold.RsaPublic),
            ClockSkew = TimeSpan.FromSeconds(60),
        };

        if (!Check(_cold) || !Check(_warm) || !Check(_warmNoResolverCache) || !RawCold() || !JsonWebTokenHandlerCold().GetAwaiter().GetResult())
        {
            throw new InvalidOperationException("the benchmark token does not verify");
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _cold.Dispose();
        _warm.Dispose();
        _warmNoResolverCache.Dispose();
    }

    [Benchmark(Baseline = true, Description = "raw signature check")]
    [BenchmarkCategory("Verify cold")]
    public bool RawCold() => _cold.RawVerify(_signingInput, _signature);

    [Benchmark(Description = "TokenAuthority, never seen")]
    [BenchmarkCategory("Verify cold")]
    public async Task<bool> OursCold() => (await _cold.Verifier.VerifyAsync(_token, Api)).Succeeded;

    [Benchmark(Description = "JsonWebTokenHandler")]
    [BenchmarkCategory("Verify cold")]
    public async Task<bool> JsonWebTokenHandlerCold() => (await _handler.ValidateTokenAsync(_token, _parameters)).IsValid;

    [Benchmark(Baseline = true, Description = "raw signature check")]
    [BenchmarkCategory("Verify warm")]
    public bool RawWarm() => _cold.RawVerify(_signingInput, _signature);

    [Benchmark(Description = "TokenAuthority, seen before")]
    [BenchmarkCategory("Verify warm")]
    public async Task<bool> OursWarm() => (await _warm.Verifier.VerifyAsync(_token, Api)).Succeeded;

    [Benchmark(Description = "TokenAuthority, seen before, resolver cache off")]
    [BenchmarkCategory("Verify warm")]
    public async Task<bool> OursWarmNoResolverCache() => (await _warmNoResolverCache.Verifier.VerifyAsync(_token, Api)).Succeeded;

    private bool Check(BenchmarkAuthority authority) => authority.Verifier.VerifyAsync(_token, Api).AsTask().GetAwaiter().GetResult().Succeeded;
}
