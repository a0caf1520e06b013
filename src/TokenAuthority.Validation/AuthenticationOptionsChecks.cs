namespace TokenAuthority.Validation;

/// <summary>The start-up checks every scheme of this library makes on the options they share.</summary>
internal static class AuthenticationOptionsChecks
{
    /// <summary>What is wrong with the audiences a scheme accepts; empty when they are usable.</summary>
    public static IEnumerable<string> AudienceFailures(string? name, TokenAuthorityAuthenticationOptions options)
    {
        if (options.Audiences.Count == 0)
        {
            yield return $"Authentication scheme '{name}' accepts no audience: add the audiences this service accepts to Audiences (e.g. o.Audiences.Add(\"orders\")); a service that accepts every audience would accept tokens meant for others.";
        }

        if (options.Audiences.Any(string.IsNullOrWhiteSpace))
        {
            yield return $"Authentication scheme '{name}' has an empty audience in Audiences: remove it.";
        }
    }
}
