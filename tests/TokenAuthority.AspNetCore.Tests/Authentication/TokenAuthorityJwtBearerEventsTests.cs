using Microsoft.IdentityModel.Tokens;
using TokenAuthority.Server;
using TokenAuthority.Validation;
using TokenAuthority.Verifying;

namespace TokenAuthority.AspNetCore.Tests.Authentication;

/// <summary>JwtBearer's refusals in the failure kinds of the other schemes (the contract suite covers the common four end to end).</summary>
public sealed class TokenAuthorityJwtBearerEventsTests
{
    public static TheoryData<Exception, TokenVerificationFailure> Exceptions => new()
    {
        { new SecurityTokenExpiredException(), TokenVerificationFailure.Expired },
        { new SecurityTokenNotYetValidException(), TokenVerificationFailure.NotYetValid },
        { new SecurityTokenInvalidAudienceException(), TokenVerificationFailure.InvalidAudience },
        { new SecurityTokenInvalidIssuerException(), TokenVerificationFailure.NotRecognized },
        { new SecurityTokenInvalidSignatureException(), TokenVerificationFailure.InvalidSignature },
        { new SecurityTokenSignatureKeyNotFoundException(), TokenVerificationFailure.InvalidSignature },
        { new SecurityTokenInvalidAlgorithmException(), TokenVerificationFailure.InvalidSignature },
        { new AggregateException(new SecurityTokenExpiredException(), new SecurityTokenInvalidAudienceException()), TokenVerificationFailure.Expired },
        { new TokenAuthorityAuthenticationException(TokenVerificationFailure.UnknownBinding, "x"), TokenVerificationFailure.UnknownBinding },
        { new SecurityTokenMalformedException(), TokenVerificationFailure.NotRecognized },
        { new SecurityTokenNoExpirationException(), TokenVerificationFailure.NotRecognized },
        { new InvalidOperationException("IDX20803: Unable to obtain configuration"), TokenVerificationFailure.ResolverUnavailable },
    };

    [Theory]
    [MemberData(nameof(Exceptions))]
    public void IdentityModel_exceptions_read_as_the_verifiers_failures(Exception exception, TokenVerificationFailure failure) =>
        Assert.Equal(failure, TokenAuthorityJwtBearerEvents.Classify(exception));
}
