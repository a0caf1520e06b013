using System.Text;
using TokenAuthority.Claims;

namespace TokenAuthority.Tests.Verifying;

/// <summary>
/// The strict pre-check every token part passes before a member is read: one object, no name twice in any object
/// (however it is spelled), every string readable. The fast pairwise path and the JsonDocument fallback agree.
/// </summary>
public class StrictJsonTests
{
    [Theory]
    [InlineData("""{"a":1}""", true)]
    [InlineData("""{"a":1,"b":{"a":2},"c":[{"a":3},{"a":4}]}""", true)]
    [InlineData("""{"a":1,"a":2}""", false)]
    [InlineData("""{"a":1,"b":{"x":1,"x":2}}""", false)]
    [InlineData("""{"c":[{"a":3,"a":4}]}""", false)]
    [InlineData("""{"b":{"x":1},"x":2,"b":3}""", false)]
    [InlineData("""{"a":1,"\u0061":2}""", false)]
    [InlineData("""{"a":"\ud800"}""", false)]
    [InlineData("""{"\udc00":1}""", false)]
    [InlineData("""{"a":"\ud83d\ude00"}""", true)]
    [InlineData("""[1]""", false)]
    [InlineData("""{"a":1} {"b":2}""", false)]
    [InlineData("""{"a":1,}""", false)]
    [InlineData("""{"a":1}x""", false)]
    [InlineData("", false)]
    [InlineData("""{"a":1 /* c */}""", false)]
    public void AcceptsOnlyOneObjectWithUniqueReadableNames(string json, bool expected) =>
        Assert.Equal(expected, StrictJson.IsStrictObject(Encoding.UTF8.GetBytes(json)));

    [Theory]
    [InlineData(31)]
    [InlineData(32)]
    [InlineData(33)]
    [InlineData(400)]
    public void ADuplicateInALargeObjectIsRefusedByEitherPath(int members)
    {
        var unique = "{" + string.Join(",", Enumerable.Range(0, members).Select(i => $"\"m{i}\":{i}")) + "}";
        var duplicated = unique[..^1] + ",\"m0\":0}";
        var nested = "{\"x\":" + duplicated + "}";

        Assert.True(StrictJson.IsStrictObject(Encoding.UTF8.GetBytes(unique)));
        Assert.False(StrictJson.IsStrictObject(Encoding.UTF8.GetBytes(duplicated)));
        Assert.False(StrictJson.IsStrictObject(Encoding.UTF8.GetBytes(nested)));
    }

    [Fact]
    public void DepthBeyondSixtyFourIsRefused()
    {
        static string Nest(int depth) => string.Concat(Enumerable.Repeat("{\"a\":", depth)) + "1" + new string('}', depth);

        Assert.True(StrictJson.IsStrictObject(Encoding.UTF8.GetBytes(Nest(63))));
        Assert.False(StrictJson.IsStrictObject(Encoding.UTF8.GetBytes(Nest(70))));
    }
}
