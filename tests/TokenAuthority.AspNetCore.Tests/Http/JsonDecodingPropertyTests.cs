using System.Text;
using FsCheck;
using FsCheck.Fluent;
using TokenAuthority.Server.Http;

namespace TokenAuthority.AspNetCore.Tests.Http;

/// <summary>Laws: whatever JSON arrives, decoding gives a value or a 400, never an exception.</summary>
public sealed class JsonDecodingPropertyTests
{
    private static readonly byte[] TokenRequestBody = Encoding.UTF8.GetBytes(
        """{"kind":"TokenRequest","apiVersion":"authentication.k8s.io/v1","metadata":{"name":"builder","creationTimestamp":"2026-11-27T19:17:51Z"},"spec":{"audiences":["api"],"expirationSeconds":600,"boundObjectRef":{"kind":"Pod","apiVersion":"v1","name":"web-0","uid":"1"}},"status":{"token":"","expirationTimestamp":null}}""");

    private static readonly byte[] TokenReviewBody = Encoding.UTF8.GetBytes(
        """{"kind":"TokenReview","apiVersion":"authentication.k8s.io/v1","metadata":{},"spec":{"token":"abc","audiences":["api"]},"status":{"user":{"extra":{"a":["b"]}}}}""");

    [Fact]
    public void MutatedJsonNeverThrows() =>
        Prop.ForAll(
            Arb.From(Gen.Choose(0, TokenRequestBody.Length - 1)),
            Arb.From(Gen.Elements<byte>((byte)'{', (byte)'}', (byte)'[', (byte)']', (byte)'"', (byte)':', (byte)',', (byte)'1', (byte)'-', (byte)'e', (byte)'n', (byte)' ', 0x00, 0xff, 0xc3)),
            Arb.From(Gen.Elements(CreateOptionsReader.Strict, CreateOptionsReader.Warn, CreateOptionsReader.Ignore)),
            (index, value, fieldValidation) =>
            {
                var request = (byte[])TokenRequestBody.Clone();
                request[index] = value;
                var (r, rError, _) = KubernetesRequestReader.DecodeTokenRequest(request, RequestBodyFormat.Json, fieldValidation);
                var review = (byte[])TokenReviewBody.Clone();
                review[index % review.Length] = value;
                var (v, vError, _) = KubernetesRequestReader.DecodeTokenReview(review, RequestBodyFormat.Json, fieldValidation);
                return (r is null) != (rError is null) && (rError is null || rError.Code == 400)
                    && (v is null) != (vError is null) && (vError is null || vError.Code == 400);
            }).Check(Config.QuickThrowOnFailure.WithMaxTest(1000));

    [Fact]
    public void ArbitraryBytesNeverThrow() =>
        Prop.ForAll(Gen.Choose(0, 255).Select(i => (byte)i).ArrayOf().ToArbitrary(), bytes =>
        {
            var (r, error, _) = KubernetesRequestReader.DecodeTokenRequest(bytes, RequestBodyFormat.Json, CreateOptionsReader.Strict);
            return (r is null) != (error is null) && (error is null || error.Code == 400);
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(1000));

    [Theory]
    [InlineData("""{"spec":{"expirationSeconds":1e400}}""")]
    [InlineData("""{"spec":{"expirationSeconds":99999999999999999999}}""")]
    [InlineData("""{"metadata":{"creationTimestamp":"yesterday"}}""")]
    [InlineData("""{"metadata":{"creationTimestamp":"2026-11-27T20:22:09"}}""")]
    [InlineData("""{"spec":{"audiences":"api"}}""")]
    [InlineData("""{"spec":{"audiences":[1]}}""")]
    [InlineData("""{"spec":{"boundObjectRef":[]}}""")]
    [InlineData("""{"spec":{}} trailing""")]
    [InlineData("""{"spec":{}}{"spec":{}}""")]
    [InlineData("""{"Spec":{"audiences":["api"]},"SPEC":1,"spec":{"audiences":["api"]},"spec":{}}""")]
    public void OddJsonIsAValueOrA400(string json)
    {
        var (request, error, _) = KubernetesRequestReader.DecodeTokenRequest(Encoding.UTF8.GetBytes(json), RequestBodyFormat.Json, CreateOptionsReader.Warn);
        Assert.True((request is null) != (error is null));
        Assert.True(error is null || error.Code == 400, error?.Message);
    }

    [Fact]
    public void DeeplyNestedJsonIsA400()
    {
        var json = "{\"spec\":" + new string('[', 10_000) + new string(']', 10_000) + "}";
        var (_, error, _) = KubernetesRequestReader.DecodeTokenRequest(Encoding.UTF8.GetBytes(json), RequestBodyFormat.Json, CreateOptionsReader.Strict);
        Assert.Equal(400, error!.Code);
    }
}
