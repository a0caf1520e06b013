namespace TokenAuthority.Verifying;

/// <summary>
/// Compares tokens whole (ordinal), and hashes only their length and last 64 characters: the signature's, which differ
/// between any two tokens that verified (a signature covers everything before it). The hash is the runtime's
/// randomized one, so no caller can aim tokens at one bucket; a lookup hashes 64 characters instead of the whole token.
/// </summary>
internal sealed class TokenTailComparer : IEqualityComparer<string>
{
    private const int Tail = 64;

    public static TokenTailComparer Instance { get; } = new();

    public bool Equals(string? x, string? y) => string.Equals(x, y, StringComparison.Ordinal);

    public int GetHashCode(string obj) =>
        HashCode.Combine(obj.Length, string.GetHashCode(obj.AsSpan(Math.Max(0, obj.Length - Tail)), StringComparison.Ordinal));
}
