using System.Buffers.Text;
using System.Text;
using TokenAuthority.Server;
using TokenAuthority.Validation;

namespace TokenAuthority.AspNetCore.Tests.Authentication;

/// <summary>
/// The TokenReview client's local reading of a token it has not verified: no more lenient than the authority's
/// parser, the <c>iss</c> that decides whether the token may be sent, and the <c>exp</c> that caps a cached answer
/// read conservatively.
/// </summary>
public sealed class UnverifiedTokenTests
{
    private const string Header = """{"alg":"RS256","kid":"k"}""";

    private static string Part(string json) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(json));

    private static string Jws(string payload, string header = Header) => $"{Part(header)}.{Part(payload)}.c2ln";

    [Theory]
    [InlineData("""{"exp":1700000000}""", 1700000000L)]
    [InlineData("""{"exp":1700000000.9}""", 1700000000L)]
    [InlineData("""{"exp":1.7e9}""", 1700000000L)]
    [InlineData("""{"exp":-5}""", 0L)]
    [InlineData("""{"exp":1e300}""", 253402300799L)]
    [InlineData("""{"exp":"1700000000"}""", null)]
    [InlineData("""{"exp":null}""", null)]
    [InlineData("""{"iss":"x"}""", null)]
    public void Exp_is_read_as_whole_seconds_rounded_down_and_only_from_a_number(string payload, long? expected)
    {
        var token = UnverifiedToken.TryRead(Jws(payload));

        Assert.NotNull(token);
        Assert.Equal(expected, token.Expires);
    }

    [Theory]
    [InlineData("""{"iss":"https://tokens.example.com"}""", "https://tokens.example.com")]
    [InlineData("""{"iss":"https:\/\/tokens.example.com"}""", "https://tokens.example.com")]
    [InlineData("""{"iss":["https://tokens.example.com"]}""", null)]
    [InlineData("""{"iss":null}""", null)]
    [InlineData("""{"iss":"\ud800"}""", null)]
    [InlineData("""{"sub":"x"}""", null)]
    public void Iss_is_read_only_as_a_readable_string(string payload, string? expected)
    {
        var token = UnverifiedToken.TryRead(Jws(payload));

        Assert.NotNull(token);
        Assert.Equal(expected, token.Issuer);
    }

    [Fact]
    public void A_payload_naming_iss_twice_is_not_read_so_no_reader_can_pick_the_other_one()
    {
        Assert.Null(UnverifiedToken.TryRead(Jws("""{"iss":"https://tokens.example.com","iss":"https://evil.example.com"}""")));
    }

    [Theory]
    [InlineData("a.b")]
    [InlineData("a.b.c.d")]
    [InlineData("not-a-jwt")]
    public void Anything_but_three_parts_is_not_read(string token) => Assert.Null(UnverifiedToken.TryRead(token));

    [Fact]
    public void Padding_non_canonical_base64url_an_empty_signature_non_objects_and_repeated_names_are_not_read()
    {
        var good = Jws("""{"exp":1}""");
        var parts = good.Split('.');

        Assert.NotNull(UnverifiedToken.TryRead(good));
        Assert.Null(UnverifiedToken.TryRead($"{parts[0]}.{parts[1]}."));
        Assert.Null(UnverifiedToken.TryRead($"{parts[0]}.{parts[1]}=.{parts[2]}"));
        Assert.NotNull(UnverifiedToken.TryRead($"{parts[0]}.{parts[1]}.c2k"));
        Assert.Null(UnverifiedToken.TryRead($"{parts[0]}.{parts[1]}.c2l")); // "c2k" with stray low bits
        Assert.Null(UnverifiedToken.TryRead(Jws("""["exp"]""")));
        Assert.Null(UnverifiedToken.TryRead(Jws("""{"exp":1}""", header: "[]")));
        Assert.Null(UnverifiedToken.TryRead(Jws("""{"exp":1,"exp":2}""")));
        Assert.Null(UnverifiedToken.TryRead(Jws("""{"exp":1}""", header: """{"alg":"RS256","alg":"none"}""")));
    }
}
