using System.Text.RegularExpressions;

namespace TokenAuthority.Samples.BuildServer.Artifacts;

/// <summary>
/// The names an artifact may have: 1 to 128 ASCII letters, digits, <c>.</c>, <c>_</c> and <c>-</c>, starting with a
/// letter or digit, without <c>..</c>. No separator, no dot segment and no control character can get through, so a
/// name never leaves its job's folder if the artifacts move from SQLite to disk.
/// </summary>
internal static partial class ArtifactName
{
    /// <summary>The longest name.</summary>
    public const int MaxLength = 128;

    /// <summary>The rule, as the 400 answer states it.</summary>
    public const string Rule = "an artifact name must be 1 to 128 letters, digits, '.', '_' or '-', start with a letter or digit, and not contain \"..\"";

    public static bool IsValid(string? name) =>
        name is { Length: > 0 and <= MaxLength } && Allowed().IsMatch(name) && !name.Contains("..", StringComparison.Ordinal);

    // \z, not $: $ also matches before a final newline.
    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._-]*\z", RegexOptions.CultureInvariant)]
    private static partial Regex Allowed();
}
