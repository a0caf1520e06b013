using System.Text.Json;
using TokenAuthority.Errors;
using TokenAuthority.Model;

namespace TokenAuthority.Tests.Errors;

public class KubernetesErrorStatusTests
{
    public static TheoryData<string, KubernetesError, string> Errors => new()
    {
        {
            "not found",
            KubernetesError.NotFound("serviceaccounts", "ghost"),
            """{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"serviceaccounts \u0022ghost\u0022 not found","reason":"NotFound","details":{"name":"ghost","kind":"serviceaccounts"},"code":404}"""
        },
        {
            "bad request",
            KubernetesError.BadRequest("the namespace of the provided object does not match the namespace sent on the request"),
            """{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"the namespace of the provided object does not match the namespace sent on the request","reason":"BadRequest","code":400}"""
        },
        {
            "invalid",
            KubernetesError.Invalid("TokenRequest", KubernetesApi.AuthenticationGroup, string.Empty, [FieldError.Invalid("spec.expirationSeconds", 60L, "may not specify a duration less than 10 minutes")]),
            """{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"TokenRequest.authentication.k8s.io \u0022\u0022 is invalid: spec.expirationSeconds: Invalid value: 60: may not specify a duration less than 10 minutes","reason":"Invalid","details":{"group":"authentication.k8s.io","kind":"TokenRequest","causes":[{"reason":"FieldValueInvalid","message":"Invalid value: 60: may not specify a duration less than 10 minutes","field":"spec.expirationSeconds"}]},"code":422}"""
        },
        {
            "conflict (core group omitted)",
            KubernetesError.Conflict("Pod", string.Empty, "web-0", "the UID in the bound object reference (x) does not match the UID in record. The object might have been deleted and then recreated"),
            """{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Operation cannot be fulfilled on Pod \u0022web-0\u0022: the UID in the bound object reference (x) does not match the UID in record. The object might have been deleted and then recreated","reason":"Conflict","details":{"name":"web-0","kind":"Pod"},"code":409}"""
        },
        {
            "internal",
            KubernetesError.Internal("failed to sign"),
            """{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Internal error occurred: failed to sign","reason":"InternalError","details":{"causes":[{"message":"failed to sign"}]},"code":500}"""
        },
    };

    // Field order and omitted members are Kubernetes'; System.Text.Json writes a quote inside a string
    // as \u0022 where Go writes \" (the same JSON value; clients decode both alike).
    [Theory]
    [MemberData(nameof(Errors))]
    public void StatusSerialisesInKubernetesFieldOrder(string situation, KubernetesError error, string expected)
    {
        Assert.NotEmpty(situation);
        Assert.Equal(expected, JsonSerializer.Serialize(error.ToStatus(), KubernetesJsonContext.Default.Status));
    }

    [Fact]
    public void SeveralFieldErrorsAreListedInBrackets()
    {
        var error = KubernetesError.Invalid("TokenRequest", KubernetesApi.AuthenticationGroup, string.Empty,
        [
            FieldError.Invalid("spec.expirationSeconds", 60L, "may not specify a duration less than 10 minutes"),
            FieldError.Invalid("metadata.name", "x", "must match the service account name if specified"),
        ]);

        Assert.Equal(
            "TokenRequest.authentication.k8s.io \"\" is invalid: [spec.expirationSeconds: Invalid value: 60: may not specify a duration less than 10 minutes, metadata.name: Invalid value: \"x\": must match the service account name if specified]",
            error.Message);
        Assert.Equal(2, error.Details!.Causes!.Count);
        Assert.Equal("Invalid value: \"x\": must match the service account name if specified", error.Details.Causes[1].Message);
    }

    [Theory]
    [InlineData(60L, "60")]
    [InlineData(true, "true")]
    [InlineData("name", "\"name\"")]
    [InlineData("a\"b\n", "\"a\\\"b\\n\"")]
    [InlineData(null, "null")]
    public void FieldValuesRenderAsKubernetesDoes(object? value, string rendered) =>
        Assert.Equal($"f: Invalid value: {rendered}: d", FieldError.Invalid("f", value, "d").ToString());
}
