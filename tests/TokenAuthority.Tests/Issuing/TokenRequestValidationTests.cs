using TokenAuthority.Errors;
using TokenAuthority.Model;
using TokenAuthority.Tests.TestSupport;

namespace TokenAuthority.Tests.Issuing;

/// <summary>Spec §1.3 to §1.5: defaulting, the request checks in kube-apiserver's order, static validation.</summary>
public class TokenRequestValidationTests
{
    private static readonly DateTimeOffset Now = new(2026, 7, 24, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(599L, "spec.expirationSeconds: Invalid value: 599: may not specify a duration less than 10 minutes")]
    [InlineData(0L, "spec.expirationSeconds: Invalid value: 0: may not specify a duration less than 10 minutes")]
    [InlineData(-1L, "spec.expirationSeconds: Invalid value: -1: may not specify a duration less than 10 minutes")]
    [InlineData(60L, "spec.expirationSeconds: Invalid value: 60: may not specify a duration less than 10 minutes")]
    [InlineData(4294967297L, "spec.expirationSeconds: Invalid value: 4294967297: may not specify a duration larger than 2^32 seconds")]
    [InlineData(long.MaxValue, "spec.expirationSeconds: Invalid value: 9223372036854775807: may not specify a duration larger than 2^32 seconds")]
    public void ExpirationOutOfRangeIsInvalid(long seconds, string fieldError)
    {
        using var authority = new TestAuthority();
        var error = authority.Create(new TokenRequestSpec { ExpirationSeconds = seconds }).Error!;

        Assert.Equal(422, error.Code);
        Assert.Equal("Invalid", error.Reason);
        Assert.Equal("TokenRequest.authentication.k8s.io \"\" is invalid: " + fieldError, error.Message);
        Assert.Null(error.Details!.Name);
        Assert.Equal("authentication.k8s.io", error.Details.Group);
        Assert.Equal("TokenRequest", error.Details.Kind);
        var cause = Assert.Single(error.Details.Causes!);
        Assert.Equal("FieldValueInvalid", cause.Reason);
        Assert.Equal("spec.expirationSeconds", cause.Field);
        Assert.Equal(fieldError["spec.expirationSeconds: ".Length..], cause.Message);
    }

    [Theory]
    [InlineData(600L)]
    [InlineData(601L)]
    [InlineData(3600L)]
    [InlineData(4294967295L)]
    [InlineData(4294967296L)]
    public void BoundsAreInclusive(long seconds)
    {
        using var authority = new TestAuthority();
        var result = authority.Create(new TokenRequestSpec { ExpirationSeconds = seconds });

        Assert.True(result.Succeeded, result.Error?.Message);
        Assert.Equal(seconds, result.Response.Spec.ExpirationSeconds);
        Assert.Equal(Now.AddSeconds(seconds), result.Response.Status.ExpirationTimestamp);
        Assert.Equal(Now.ToUnixTimeSeconds() + seconds, TokenForge.Payload(result.Response.Status.Token).GetProperty("exp").GetInt64());
    }

    [Fact]
    public void AnEmptyRequestIsDefaulted()
    {
        using var authority = new TestAuthority();
        var response = authority.Create(new TokenRequest()).Response!;

        Assert.Equal("TokenRequest", response.Kind);
        Assert.Equal("authentication.k8s.io/v1", response.ApiVersion);
        Assert.Equal(new ObjectMeta { Name = "builder", Namespace = "default", Uid = "sa-uid-1", CreationTimestamp = Now }, response.Metadata);
        Assert.Equal([TestAuthority.Issuer], response.Spec.Audiences);
        Assert.Equal(3600, response.Spec.ExpirationSeconds);
        Assert.Null(response.Spec.BoundObjectRef);
        Assert.Equal(Now.AddHours(1), response.Status.ExpirationTimestamp);
    }

    [Fact]
    public void ApiAudiencesAreTheDefaultWhenConfigured()
    {
        using var authority = new TestAuthority(o => { o.ApiAudiences.Add("api"); o.ApiAudiences.Add("https://kubernetes.default.svc"); });
        var response = authority.Create(new TokenRequestSpec { Audiences = [] }).Response!;

        Assert.Equal(["api", "https://kubernetes.default.svc"], response.Spec.Audiences);
        Assert.True(authority.Verify(response.Status.Token).Succeeded);
    }

    [Fact]
    public void ABodyMatchingTheUrlIsAcceptedAndTheRequestStatusIgnored()
    {
        using var authority = new TestAuthority();
        var result = authority.Create(new TokenRequest
        {
            Metadata = new ObjectMeta { Name = "builder", Namespace = "default", Uid = "sa-uid-1" },
            Spec = new TokenRequestSpec { Audiences = ["api"] },
            Status = new TokenRequestStatus { Token = "forged", ExpirationTimestamp = Now.AddYears(5) },
        });

        Assert.True(result.Succeeded);
        Assert.NotEqual("forged", result.Response.Status.Token);
        Assert.Equal(Now.AddHours(1), result.Response.Status.ExpirationTimestamp);
    }

    public static TheoryData<string, TokenRequest, string, int, string, string, StatusDetails?> RequestErrors => new()
    {
        {
            "namespace mismatch",
            new TokenRequest { Metadata = new ObjectMeta { Namespace = "other" } },
            "builder", 400, "BadRequest",
            "the namespace of the provided object does not match the namespace sent on the request",
            null
        },
        {
            "name mismatch (the message names the URL's account)",
            new TokenRequest { Metadata = new ObjectMeta { Name = "other" } },
            "builder", 422, "Invalid",
            "TokenRequest.authentication.k8s.io \"builder\" is invalid: metadata.name: Invalid value: \"other\": must match the service account name if specified",
            new StatusDetails
            {
                Name = "builder", Group = "authentication.k8s.io", Kind = "TokenRequest",
                Causes = [new StatusCause { Reason = "FieldValueInvalid", Message = "Invalid value: \"other\": must match the service account name if specified", Field = "metadata.name" }],
            }
        },
        {
            "missing service account",
            new TokenRequest(),
            "ghost", 404, "NotFound",
            "serviceaccounts \"ghost\" not found",
            new StatusDetails { Name = "ghost", Kind = "serviceaccounts" }
        },
        {
            "request uid is not the account's",
            new TokenRequest { Metadata = new ObjectMeta { Uid = "old-uid" } },
            "builder", 409, "Conflict",
            "Operation cannot be fulfilled on TokenRequest.authentication.k8s.io \"builder\": the UID in the token request (old-uid) does not match the UID of the service account (sa-uid-1)",
            new StatusDetails { Name = "builder", Group = "authentication.k8s.io", Kind = "TokenRequest" }
        },
        {
            "namespace mismatch wins over name mismatch",
            new TokenRequest { Metadata = new ObjectMeta { Namespace = "other", Name = "other" } },
            "builder", 400, "BadRequest",
            "the namespace of the provided object does not match the namespace sent on the request",
            null
        },
        {
            "name mismatch wins over a missing account",
            new TokenRequest { Metadata = new ObjectMeta { Name = "other" } },
            "ghost", 422, "Invalid",
            "TokenRequest.authentication.k8s.io \"ghost\" is invalid: metadata.name: Invalid value: \"other\": must match the service account name if specified",
            new StatusDetails
            {
                Name = "ghost", Group = "authentication.k8s.io", Kind = "TokenRequest",
                Causes = [new StatusCause { Reason = "FieldValueInvalid", Message = "Invalid value: \"other\": must match the service account name if specified", Field = "metadata.name" }],
            }
        },
        {
            "a missing account wins over validation",
            new TokenRequest { Spec = new TokenRequestSpec { ExpirationSeconds = 0 } },
            "ghost", 404, "NotFound",
            "serviceaccounts \"ghost\" not found",
            new StatusDetails { Name = "ghost", Kind = "serviceaccounts" }
        },
        {
            "a uid conflict wins over validation",
            new TokenRequest { Metadata = new ObjectMeta { Uid = "old-uid" }, Spec = new TokenRequestSpec { ExpirationSeconds = 0 } },
            "builder", 409, "Conflict",
            "Operation cannot be fulfilled on TokenRequest.authentication.k8s.io \"builder\": the UID in the token request (old-uid) does not match the UID of the service account (sa-uid-1)",
            new StatusDetails { Name = "builder", Group = "authentication.k8s.io", Kind = "TokenRequest" }
        },
        {
            "validation wins over the bound object",
            new TokenRequest { Spec = new TokenRequestSpec { ExpirationSeconds = 10, BoundObjectRef = new BoundObjectReference { Kind = "ConfigMap", ApiVersion = "v1", Name = "x" } } },
            "builder", 422, "Invalid",
            "TokenRequest.authentication.k8s.io \"\" is invalid: spec.expirationSeconds: Invalid value: 10: may not specify a duration less than 10 minutes",
            new StatusDetails
            {
                Group = "authentication.k8s.io", Kind = "TokenRequest",
                Causes = [new StatusCause { Reason = "FieldValueInvalid", Message = "Invalid value: 10: may not specify a duration less than 10 minutes", Field = "spec.expirationSeconds" }],
            }
        },
    };

    [Theory]
    [MemberData(nameof(RequestErrors))]
    public void RequestChecksFailWithKubernetesErrors(string situation, TokenRequest request, string urlName, int code, string reason, string message, StatusDetails? details)
    {
        using var authority = new TestAuthority();
        var result = authority.Create(request, "default", urlName);

        Assert.False(result.Succeeded, situation);
        AssertError(result.Error, code, reason, message, details);
    }

    internal static void AssertError(KubernetesError error, int code, string reason, string message, StatusDetails? details)
    {
        Assert.Equal(message, error.Message);
        Assert.Equal(code, error.Code);
        Assert.Equal(reason, error.Reason);
        if (details is null)
        {
            Assert.Null(error.Details);
            return;
        }

        Assert.NotNull(error.Details);
        Assert.Equal(details with { Causes = null }, error.Details with { Causes = null });
        Assert.Equal(details.Causes ?? [], error.Details.Causes ?? []);
    }
}
