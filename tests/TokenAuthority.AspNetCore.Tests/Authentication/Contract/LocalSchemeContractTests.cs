namespace TokenAuthority.AspNetCore.Tests.Authentication.Contract;

/// <summary>The authentication contract over the TokenAuthority scheme (in-process verification).</summary>
public sealed class LocalSchemeContractTests(LocalSchemeFixture fixture) : AuthenticationContractTests<LocalSchemeFixture>(fixture);
