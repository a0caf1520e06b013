namespace TokenAuthority.AspNetCore.Tests.Authentication.Contract;

/// <summary>The authentication contract over the TokenReview scheme (a real authority app reviews every token).</summary>
public sealed class TokenReviewSchemeContractTests(TokenReviewSchemeFixture fixture) : AuthenticationContractTests<TokenReviewSchemeFixture>(fixture);
