using Google.Protobuf;
using TokenAuthority.Model;
using TokenAuthority.Validation;

namespace TokenAuthority.Server.Http;

/// <summary>
/// Decodes the Kubernetes protobuf wire format that kubectl 1.32+ sends: the magic <c>k8s\0</c>, a
/// <c>runtime.Unknown</c> envelope (type meta + raw message) and the <c>authentication.k8s.io/v1</c>
/// message inside it. Built on Google.Protobuf's <see cref="CodedInputStream"/>; unknown fields are
/// skipped, present-but-empty strings and lists count as absent, and malformed input is a decode error.
/// </summary>
internal static class KubernetesProtobufReader
{
    /// <summary>The four bytes every Kubernetes protobuf body starts with: <c>k8s\0</c>.</summary>
    public static ReadOnlySpan<byte> Magic => "k8s\0"u8;

    /// <summary>Decodes the envelope: its declared apiVersion and kind and the raw inner message.</summary>
    /// <exception cref="KubernetesProtobufException">The body is not a Kubernetes protobuf message.</exception>
    public static (string? ApiVersion, string? Kind, ByteString Raw) ReadEnvelope(ReadOnlySpan<byte> body)
    {
        if (body.Length < Magic.Length || !body[..Magic.Length].SequenceEqual(Magic))
        {
            throw new KubernetesProtobufException("provided data does not appear to be a protobuf message, expected prefix [107 56 115 0]");
        }

        string? apiVersion = null, kind = null, contentEncoding = null, contentType = null;
        var raw = ByteString.Empty;
        var input = new CodedInputStream(body[Magic.Length..].ToArray());
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 1:
                    (apiVersion, kind) = ReadTypeMeta(ReadMessage(input, tag));
                    break;
                case 2:
                    raw = ReadMessage(input, tag);
                    break;
                case 3:
                    contentEncoding = ReadString(input, tag);
                    break;
                case 4:
                    contentType = ReadString(input, tag);
                    break;
                default:
                    input.SkipLastField();
                    break;
            }
        }

        if (contentEncoding is not null)
        {
            throw new KubernetesProtobufException($"unsupported contentEncoding {contentEncoding} in the protobuf envelope");
        }

        if (contentType is not null && !string.Equals(contentType, "application/vnd.kubernetes.protobuf", StringComparison.OrdinalIgnoreCase))
        {
            throw new KubernetesProtobufException($"unsupported contentType {contentType} in the protobuf envelope");
        }

        return (apiVersion, kind, raw);
    }

    /// <summary>Decodes a <c>TokenRequest</c> message (metadata, spec; status is ignored).</summary>
    public static TokenRequest ReadTokenRequest(ByteString raw)
    {
        ArgumentNullException.ThrowIfNull(raw);
        var request = new TokenRequest { Kind = null, ApiVersion = null };
        var input = raw.CreateCodedInput();
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 1:
                    request = request with { Metadata = ReadObjectMeta(ReadMessage(input, tag)) };
                    break;
                case 2:
                    request = request with { Spec = ReadTokenRequestSpec(ReadMessage(input, tag)) };
                    break;
                default:
                    input.SkipLastField();
                    break;
            }
        }

        return request;
    }

    /// <summary>Decodes a <c>TokenReview</c> message (metadata, spec; status is ignored).</summary>
    public static TokenReview ReadTokenReview(ByteString raw)
    {
        ArgumentNullException.ThrowIfNull(raw);
        var review = new TokenReview { Kind = null, ApiVersion = null };
        var input = raw.CreateCodedInput();
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 1:
                    review = review with { Metadata = ReadObjectMeta(ReadMessage(input, tag)) };
                    break;
                case 2:
                    review = review with { Spec = ReadTokenReviewSpec(ReadMessage(input, tag)) };
                    break;
                default:
                    input.SkipLastField();
                    break;
            }
        }

        return review;
    }

    private static (string? ApiVersion, string? Kind) ReadTypeMeta(ByteString message)
    {
        string? apiVersion = null, kind = null;
        var input = message.CreateCodedInput();
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 1: apiVersion = ReadString(input, tag); break;
                case 2: kind = ReadString(input, tag); break;
                default: input.SkipLastField(); break;
            }
        }

        return (apiVersion, kind);
    }

    private static ObjectMeta ReadObjectMeta(ByteString message)
    {
        string? name = null, ns = null, uid = null;
        var input = message.CreateCodedInput();
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 1: name = ReadString(input, tag); break;
                case 3: ns = ReadString(input, tag); break;
                case 5: uid = ReadString(input, tag); break;
                default: input.SkipLastField(); break;
            }
        }

        // creationTimestamp and the other system fields are wiped by the API server anyway.
        return new ObjectMeta { Name = name, Namespace = ns, Uid = uid };
    }

    private static TokenRequestSpec ReadTokenRequestSpec(ByteString message)
    {
        var audiences = new List<string>();
        long? expirationSeconds = null;
        BoundObjectReference? boundObjectRef = null;
        var input = message.CreateCodedInput();
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 1:
                    audiences.Add(ReadString(input, tag) ?? string.Empty);
                    break;
                case 3:
                    boundObjectRef = ReadBoundObjectReference(ReadMessage(input, tag));
                    break;
                case 4:
                    ExpectWireType(tag, WireFormat.WireType.Varint);
                    expirationSeconds = input.ReadInt64();
                    break;
                default:
                    input.SkipLastField();
                    break;
            }
        }

        return new TokenRequestSpec
        {
            Audiences = audiences.Count > 0 ? audiences : null,
            ExpirationSeconds = expirationSeconds,
            BoundObjectRef = boundObjectRef,
        };
    }

    private static BoundObjectReference ReadBoundObjectReference(ByteString message)
    {
        string? kind = null, apiVersion = null, name = null, uid = null;
        var input = message.CreateCodedInput();
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 1: kind = ReadString(input, tag); break;
                case 2: apiVersion = ReadString(input, tag); break;
                case 3: name = ReadString(input, tag); break;
                case 4: uid = ReadString(input, tag); break;
                default: input.SkipLastField(); break;
            }
        }

        return new BoundObjectReference { Kind = kind, ApiVersion = apiVersion, Name = name, Uid = uid };
    }

    private static TokenReviewSpec ReadTokenReviewSpec(ByteString message)
    {
        string? token = null;
        var audiences = new List<string>();
        var input = message.CreateCodedInput();
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 1: token = ReadString(input, tag); break;
                case 2: audiences.Add(ReadString(input, tag) ?? string.Empty); break;
                default: input.SkipLastField(); break;
            }
        }

        return new TokenReviewSpec { Token = token, Audiences = audiences.Count > 0 ? audiences : null };
    }

    /// <summary>Reads a length-delimited string; an empty string counts as absent (gogo emits every string).</summary>
    private static string? ReadString(CodedInputStream input, uint tag)
    {
        ExpectWireType(tag, WireFormat.WireType.LengthDelimited);
        var value = input.ReadString();
        return value.Length == 0 ? null : value;
    }

    private static ByteString ReadMessage(CodedInputStream input, uint tag)
    {
        ExpectWireType(tag, WireFormat.WireType.LengthDelimited);
        return input.ReadBytes();
    }

    private static void ExpectWireType(uint tag, WireFormat.WireType expected)
    {
        var actual = WireFormat.GetTagWireType(tag);
        if (actual != expected)
        {
            throw new KubernetesProtobufException(
                $"field {WireFormat.GetTagFieldNumber(tag)} has wire type {actual}, expected {expected}");
        }
    }
}
