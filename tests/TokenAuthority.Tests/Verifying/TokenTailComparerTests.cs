using TokenAuthority.Verifying;

namespace TokenAuthority.Tests.Verifying;

/// <summary>The verification cache hashes a token's tail but compares it whole: a shared tail never shares an entry.</summary>
public class TokenTailComparerTests
{
    [Fact]
    public void TokensWithTheSameTailHashAlikeButAreNeverEqual()
    {
        var tail = new string('s', 64);
        var a = "header.payloadA." + tail;
        var b = "header.payloadB." + tail;
        var comparer = TokenTailComparer.Instance;
        var map = new Dictionary<string, int>(comparer) { [a] = 1, [b] = 2 };

        Assert.Equal(comparer.GetHashCode(a), comparer.GetHashCode(b));
        Assert.False(comparer.Equals(a, b));
        Assert.Equal(2, map.Count);
        Assert.Equal(1, map[a]);
        Assert.Equal(2, map[b]);
        Assert.False(map.ContainsKey("header.payloadC." + tail));
    }

    [Fact]
    public void ShortTokensAreHashedWhole() =>
        Assert.NotEqual(TokenTailComparer.Instance.GetHashCode("a.b.c"), TokenTailComparer.Instance.GetHashCode("a.b.d"));
}
