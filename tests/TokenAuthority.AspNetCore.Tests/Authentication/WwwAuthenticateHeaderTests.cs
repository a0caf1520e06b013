using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using TokenAuthority.Server;
using TokenAuthority.Validation;

namespace TokenAuthority.AspNetCore.Tests.Authentication;

/// <summary>The challenge header is always a safe, parseable RFC 6750 header, whatever the reason text.</summary>
public sealed class WwwAuthenticateHeaderTests
{
    [Theory]
    [InlineData(null, null, "Bearer")]
    [InlineData("invalid_token", null, "Bearer error=\"invalid_token\"")]
    [InlineData("invalid_token", "a \"quoted\" \\ text", "Bearer error=\"invalid_token\", error_description=\"a \\\"quoted\\\" \\\\ text\"")]
    [InlineData("invalid_token", "line\r\nSet-Cookie: x=1", "Bearer error=\"invalid_token\", error_description=\"line??Set-Cookie: x=1\"")]
    [InlineData("invalid_token", "audience \"caf\u00e9\"", "Bearer error=\"invalid_token\", error_description=\"audience \\\"caf?\\\"\"")]
    public void Formats_and_escapes(string? error, string? description, string expected) =>
        Assert.Equal(expected, WwwAuthenticateHeader.Format(error, description, null));

    [Fact]
    public void Long_descriptions_are_cut()
    {
        var header = WwwAuthenticateHeader.Quote(new string('x', 2000));

        Assert.Equal(WwwAuthenticateHeader.MaxValueLength + 5, header.Length);
        Assert.EndsWith("...\"", header, StringComparison.Ordinal);
    }

    [Property(MaxTest = 500)]
    public Property Any_text_becomes_a_printable_quoted_string_that_reads_back(string? text)
    {
        var value = text ?? string.Empty;
        var quoted = WwwAuthenticateHeader.Quote(value);
        var printable = quoted.All(c => c is >= ' ' and <= '~');
        var readBack = Unquote(quoted);
        var expected = new string(value.Take(WwwAuthenticateHeader.MaxValueLength).Select(c => c is >= ' ' and <= '~' ? c : '?').ToArray())
            + (value.Length > WwwAuthenticateHeader.MaxValueLength ? "..." : string.Empty);
        return (printable && readBack == expected).Label($"{quoted} -> {readBack}");
    }

    [Property(MaxTest = 300)]
    public Property Token68_strings_are_read_as_tokens_and_anything_with_a_space_is_malformed(NonEmptyString raw)
    {
        var alphabet = "ABCXYZabcxyz0189-._~+/";
        var token = new string(raw.Get.Select(c => alphabet[c % alphabet.Length]).ToArray());
        var good = BearerToken.Read("Bearer " + token);
        var bad = BearerToken.Read("Bearer " + token + " " + token);
        return (good == (BearerToken.Kind.Token, token) && bad.Kind == BearerToken.Kind.Malformed).ToProperty();
    }

    private static string? Unquote(string quoted)
    {
        if (quoted.Length < 2 || quoted[0] != '"' || quoted[^1] != '"')
        {
            return null;
        }

        var builder = new StringBuilder();
        for (var i = 1; i < quoted.Length - 1; i++)
        {
            var c = quoted[i];
            if (c == '\\')
            {
                i++;
                if (i >= quoted.Length - 1)
                {
                    return null;
                }

                builder.Append(quoted[i]);
            }
            else if (c == '"')
            {
                return null;
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }
}
