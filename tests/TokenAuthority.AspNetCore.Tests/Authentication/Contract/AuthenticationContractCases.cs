namespace TokenAuthority.AspNetCore.Tests.Authentication.Contract;

/// <summary>The cases of <see cref="AuthenticationContractTests{TFixture}"/>, by name.</summary>
public static class AuthenticationContractCases
{
    /// <summary>What the token is bound to: nothing, the seeded pod, secret or node, or the registered kind's object.</summary>
    public static TheoryData<string> Bindings => new() { "unbound", "pod", "secret", "node", "workflow" };

    /// <summary>Why a token is refused, for reasons every path can see.</summary>
    public static TheoryData<string> Refusals => new() { "expired", "wrong audience", "tampered signature", "unknown issuer" };
}
