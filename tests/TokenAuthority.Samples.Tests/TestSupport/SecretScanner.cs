namespace TokenAuthority.Samples.Tests.TestSupport;

/// <summary>
/// Finds secrets in text: whole tokens, their signature parts, and any run of <see cref="KeyWindow"/> characters of a
/// private key's base64 body (so a key printed in pieces, or re-wrapped, is found too).
/// </summary>
internal sealed class SecretScanner
{
    /// <summary>How many consecutive characters of a key's base64 body count as a leak (a random match is impossible).</summary>
    public const int KeyWindow = 24;

    private readonly List<(string Name, string Value)> _strings = [];
    private readonly Dictionary<string, string> _keyWindows = new(StringComparer.Ordinal);

    /// <summary>Adds a bearer token: the whole string and its signature part.</summary>
    public SecretScanner AddToken(string name, string token)
    {
        _strings.Add((name, token));
        var parts = token.Split('.');
        if (parts.Length == 3 && parts[2].Length >= 16)
        {
            _strings.Add((name + " (signature)", parts[2]));
        }

        return this;
    }

    /// <summary>Adds an opaque secret (the admin token).</summary>
    public SecretScanner AddSecret(string name, string value)
    {
        _strings.Add((name, value));
        return this;
    }

    /// <summary>Adds a PEM private key: every <see cref="KeyWindow"/>-character run of its base64 body.</summary>
    public SecretScanner AddPrivateKeyPem(string name, string pem)
    {
        var body = string.Concat(pem.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith("-----", StringComparison.Ordinal)));
        if (body.Length < KeyWindow)
        {
            throw new ArgumentException($"{name} has no base64 body", nameof(pem));
        }

        for (var i = 0; i + KeyWindow <= body.Length; i++)
        {
            _keyWindows.TryAdd(body.Substring(i, KeyWindow), name);
        }

        return this;
    }

    /// <summary>Each secret found in <paramref name="text"/> (from <paramref name="source"/>), as "what in where".</summary>
    public IReadOnlyList<string> Find(string source, string text)
    {
        var found = new List<string>();
        foreach (var (name, value) in _strings)
        {
            if (text.Contains(value, StringComparison.Ordinal))
            {
                found.Add($"{name} in {source}");
            }
        }

        // Without line breaks, so a key wrapped over lines is found as well.
        var flat = text.Replace("\r", string.Empty, StringComparison.Ordinal).Replace("\n", string.Empty, StringComparison.Ordinal);
        var keys = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i + KeyWindow <= flat.Length; i++)
        {
            if (_keyWindows.TryGetValue(flat.Substring(i, KeyWindow), out var key) && keys.Add(key))
            {
                found.Add($"{key} material in {source} at {i}");
            }
        }

        return found;
    }
}
