namespace TokenAuthority.AspNetCore.Tests.Authentication.Contract;

/// <summary>The authentication contract over the JwtBearer helper (stateless, discovery and JWKS over https).</summary>
public sealed class JwtBearerContractTests(JwtBearerFixture fixture) : AuthenticationContractTests<JwtBearerFixture>(fixture);
