using FsCheck;
using FsCheck.Fluent;
using Google.Protobuf;
using TokenAuthority.Server.Http;
using TokenAuthority.AspNetCore.Tests.Http.Support;
using TokenAuthority.Model;

namespace TokenAuthority.AspNetCore.Tests.Http;

public sealed class KubernetesProtobufReaderTests
{
    private static TokenRequest Decode(string base64)
    {
        var (request, error, _) = KubernetesRequestReader.DecodeTokenRequest(ProtobufFixtures.Bytes(base64), RequestBodyFormat.Protobuf);
        Assert.Null(error);
        return request!;
    }

    [Fact]
    public void EnvelopeDeclaresTheTokenRequestType()
    {
        var (apiVersion, kind, raw) = KubernetesProtobufReader.ReadEnvelope(ProtobufFixtures.Bytes(ProtobufFixtures.AudiencesAndDuration));
        Assert.Equal("authentication.k8s.io/v1", apiVersion);
        Assert.Equal("TokenRequest", kind);
        Assert.Equal(41, raw.Length);
    }

    [Fact]
    public void AudiencesAndDuration()
    {
        var request = Decode(ProtobufFixtures.AudiencesAndDuration);
        Assert.Equal(["api", "vault"], request.Spec.Audiences);
        Assert.Equal(600, request.Spec.ExpirationSeconds);
        Assert.Null(request.Spec.BoundObjectRef);
        Assert.Equal(new ObjectMeta(), request.Metadata); // gogo's empty strings count as absent
    }

    [Theory]
    [InlineData(ProtobufFixtures.PodBinding, "Pod")]
    [InlineData(ProtobufFixtures.NodeBinding, "Node")]
    public void BoundObject(string fixture, string kind)
    {
        var request = Decode(fixture);
        Assert.Equal(new BoundObjectReference { Kind = kind, ApiVersion = "v1", Name = "web-0", Uid = "1234" }, request.Spec.BoundObjectRef);
        Assert.Null(request.Spec.Audiences);
        Assert.Null(request.Spec.ExpirationSeconds);
    }

    [Fact]
    public void NoFlagsIsAnEmptySpec()
    {
        var request = Decode(ProtobufFixtures.NoFlags);
        Assert.Equal(new TokenRequestSpec(), request.Spec);
    }

    [Fact]
    public void LongDuration() => Assert.Equal(172800, Decode(ProtobufFixtures.Duration48h).Spec.ExpirationSeconds);

    [Fact]
    public void UnknownFieldsAreSkipped()
    {
        // spec with an unknown varint field 9 and an unknown length-delimited field 10 around audiences.
        var spec = new byte[] { 0x48, 0x05, 0x0a, 0x03, (byte)'a', (byte)'p', (byte)'i', 0x52, 0x01, 0x00 };
        var body = Envelope(Message(2, spec));
        var (request, error, _) = KubernetesRequestReader.DecodeTokenRequest(body, RequestBodyFormat.Protobuf);
        Assert.Null(error);
        Assert.Equal(["api"], request!.Spec.Audiences);
    }

    [Fact]
    public void TokenReviewMessage()
    {
        var spec = Concat(Message(1, "tok"u8.ToArray()), Message(2, "api"u8.ToArray()));
        var body = Envelope(Message(2, spec), "TokenReview");
        var (review, error, _) = KubernetesRequestReader.DecodeTokenReview(body, RequestBodyFormat.Protobuf);
        Assert.Null(error);
        Assert.Equal("tok", review!.Spec.Token);
        Assert.Equal(["api"], review.Spec.Audiences);
    }

    public static TheoryData<string, byte[], string> Malformed => new()
    {
        { "no magic", "{\"spec\":{}}"u8.ToArray(), "TokenRequest in version \"v1\" cannot be handled as a TokenRequest: provided data does not appear to be a protobuf message, expected prefix [107 56 115 0]" },
        { "magic only", "k8s\0"u8.ToArray(), "" },
        { "truncated", ProtobufFixtures.Bytes(ProtobufFixtures.AudiencesAndDuration)[..60], "TokenRequest in version \"v1\" cannot be handled as a TokenRequest: " },
        { "length past the end", [.. "k8s\0"u8, 0x12, 0x7f, 0x0a], "TokenRequest in version \"v1\" cannot be handled as a TokenRequest: " },
        { "varint where a message belongs", [.. "k8s\0"u8, 0x12, 0x02, 0x10, 0x01], "TokenRequest in version \"v1\" cannot be handled as a TokenRequest: field 2 has wire type Varint, expected LengthDelimited" },
        { "string expirationSeconds", [.. "k8s\0"u8, 0x12, 0x05, 0x12, 0x03, 0x22, 0x01, 0x31], "TokenRequest in version \"v1\" cannot be handled as a TokenRequest: field 4 has wire type LengthDelimited, expected Varint" },
        { "field number zero", [.. "k8s\0"u8, 0x00, 0x01], "TokenRequest in version \"v1\" cannot be handled as a TokenRequest: " },
        { "end group without start", [.. "k8s\0"u8, 0x0c], "TokenRequest in version \"v1\" cannot be handled as a TokenRequest: " },
        { "content encoding", [.. "k8s\0"u8, 0x1a, 0x04, (byte)'g', (byte)'z', (byte)'i', (byte)'p'], "TokenRequest in version \"v1\" cannot be handled as a TokenRequest: unsupported contentEncoding gzip in the protobuf envelope" },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void MalformedBodiesAreBadRequests(string name, byte[] body, string messagePrefix)
    {
        var (request, error, _) = KubernetesRequestReader.DecodeTokenRequest(body, RequestBodyFormat.Protobuf);
        if (name == "magic only")
        {
            // An envelope with nothing in it is an empty TokenRequest, as gogo decodes it.
            Assert.Null(error);
            Assert.Equal(new TokenRequestSpec(), request!.Spec);
            return;
        }

        Assert.Null(request);
        Assert.NotNull(error);
        Assert.Equal(400, error.Code);
        Assert.Equal("BadRequest", error.Reason);
        Assert.StartsWith(messagePrefix, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("v1", "TokenRequest", "the API version in the data (v1) does not match the expected API version (authentication.k8s.io/v1)")]
    [InlineData("authentication.k8s.io/v1", "TokenReview", "the kind in the data (TokenReview) does not match the expected kind (TokenRequest)")]
    public void WrongTypeInTheEnvelopeIsABadRequest(string apiVersion, string kind, string message)
    {
        var typeMeta = Concat(Message(1, System.Text.Encoding.UTF8.GetBytes(apiVersion)), Message(2, System.Text.Encoding.UTF8.GetBytes(kind)));
        byte[] body = [.. "k8s\0"u8, .. Message(1, typeMeta), .. Message(2, [])];
        var (_, error, _) = KubernetesRequestReader.DecodeTokenRequest(body, RequestBodyFormat.Protobuf);
        Assert.Equal(400, error!.Code);
        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void ArbitraryBytesAfterTheMagicNeverThrow() =>
        Prop.ForAll(Gen.Choose(0, 255).Select(i => (byte)i).ArrayOf().ToArbitrary(), bytes =>
        {
            byte[] body = [.. "k8s\0"u8, .. bytes];
            var (request, error, _) = KubernetesRequestReader.DecodeTokenRequest(body, RequestBodyFormat.Protobuf);
            return (request is null) != (error is null) && (error is null || error.Code == 400);
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(1000));

    [Fact]
    public void MutatedFixturesNeverThrow() =>
        Prop.ForAll(Arb.From(Gen.Choose(4, 92)), Arb.From(Gen.Choose(0, 255)), (index, value) =>
        {
            var body = ProtobufFixtures.Bytes(ProtobufFixtures.AudiencesAndDuration);
            body[index] = (byte)value;
            var (request, error, _) = KubernetesRequestReader.DecodeTokenRequest(body, RequestBodyFormat.Protobuf);
            return (request is null) != (error is null) && (error is null || error.Code == 400);
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(1000));

    private static byte[] Envelope(byte[] raw, string kind = "TokenRequest")
    {
        var typeMeta = Concat(Message(1, "authentication.k8s.io/v1"u8.ToArray()), Message(2, System.Text.Encoding.UTF8.GetBytes(kind)));
        return [.. "k8s\0"u8, .. Message(1, typeMeta), .. Message(2, raw)];
    }

    private static byte[] Message(int field, byte[] content)
    {
        using var stream = new MemoryStream();
        var output = new CodedOutputStream(stream);
        output.WriteTag(field, WireFormat.WireType.LengthDelimited);
        output.WriteBytes(ByteString.CopyFrom(content));
        output.Flush();
        return stream.ToArray();
    }

    private static byte[] Concat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();
}
