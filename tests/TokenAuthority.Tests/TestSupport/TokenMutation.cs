namespace TokenAuthority.Tests.TestSupport;

/// <summary>Replace the character at <c>Position % length</c> by <see cref="Replacement"/> (or, if equal, by another).</summary>
public sealed record TokenMutation(int Position, char Replacement)
{
    public string Apply(string token)
    {
        var i = Position % token.Length;
        var c = Replacement != token[i] ? Replacement : (token[i] == 'A' ? 'B' : 'A');
        return string.Concat(token.AsSpan(0, i), c.ToString(), token.AsSpan(i + 1));
    }
}
