using TokenAuthority.Identity;

namespace TokenAuthority.AspNetCore.Tests.Authentication.Contract;

/// <summary>What <c>/contract/caller</c> reports: the principal, its answers, and the typed identity of the request.</summary>
public sealed class ContractCaller
{
    public string? Name { get; set; }

    /// <summary>Every claim as a (type, value) pair, in the principal's order.</summary>
    public string[][] Claims { get; set; } = [];

    public string[] ClaimIssuers { get; set; } = [];

    public Dictionary<string, bool> Roles { get; set; } = [];

    public Dictionary<string, bool> Policies { get; set; } = [];

    public string? Outcome { get; set; }

    public string? Username { get; set; }

    public ObjectIdentity? BoundObject { get; set; }

    public ObjectIdentity? Node { get; set; }

    public string? CredentialId { get; set; }

    public string[] Audiences { get; set; } = [];

    /// <summary>The identity's <c>ToUserInfo()</c> as TokenReview writes it.</summary>
    public string? User { get; set; }
}
