namespace TokenAuthority.Verifying;

/// <summary>
/// One row of <see cref="TokenVerificationErrors"/>: a text as fixed parts with the variable parts between them, and the
/// failure it means. The same parts write the text and recognise it, so the two cannot drift apart.
/// </summary>
internal sealed class TokenVerificationErrorTemplate(TokenVerificationFailure failure, params string[] parts)
{
    public TokenVerificationFailure Failure { get; } = failure;

    /// <summary>The text with <paramref name="values"/> between the fixed parts (one value fewer than parts).</summary>
    public string Format(params string[] values)
    {
        if (values.Length != parts.Length - 1)
        {
            throw new ArgumentException($"The text takes {parts.Length - 1} values, not {values.Length}.", nameof(values));
        }

        var text = parts[0];
        for (var i = 0; i < values.Length; i++)
        {
            text += values[i] + parts[i + 1];
        }

        return text;
    }

    /// <summary>Whether <paramref name="text"/> has the fixed parts in order: the first at its start, the last at its end.</summary>
    public bool Matches(string text)
    {
        if (parts.Length == 1)
        {
            return string.Equals(text, parts[0], StringComparison.Ordinal);
        }

        if (!text.StartsWith(parts[0], StringComparison.Ordinal))
        {
            return false;
        }

        var position = parts[0].Length;
        for (var i = 1; i < parts.Length - 1; i++)
        {
            var found = text.IndexOf(parts[i], position, StringComparison.Ordinal);
            if (found < 0)
            {
                return false;
            }

            position = found + parts[i].Length;
        }

        var last = parts[^1];
        return text.Length - last.Length >= position && text.EndsWith(last, StringComparison.Ordinal);
    }
}
