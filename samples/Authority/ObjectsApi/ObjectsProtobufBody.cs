using Google.Protobuf;
using TokenAuthority.Errors;
using TokenAuthority.Model;

namespace TokenAuthority.Samples.Authority.ObjectsApi;

/// <summary>
/// Decodes an objects API body sent as Kubernetes protobuf (<c>application/vnd.kubernetes.protobuf</c>, what kubectl 1.32+
/// sends for core objects): the magic <c>k8s\0</c>, the <c>runtime.Unknown</c> envelope (type meta + raw message) and the
/// <c>v1</c> ServiceAccount, Pod, Secret or Node inside it, as far as the objects API stores them: <c>metadata.name</c>,
/// <c>generateName</c> and <c>namespace</c>, and a pod's <c>spec.serviceAccountName</c> and <c>spec.nodeName</c>. Field
/// numbers are those of <c>k8s.io/api/core/v1/generated.proto</c> and <c>k8s.io/apimachinery/pkg/apis/meta/v1</c>;
/// unknown fields are skipped; malformed input is a 400 in the words of the JSON path, never an exception.
/// The library's reader (TokenRequest, TokenReview) is internal, so the sample keeps this small reader of its own.
/// </summary>
internal static class ObjectsProtobufBody
{
    /// <summary>The media type of a Kubernetes protobuf body.</summary>
    public const string MediaType = "application/vnd.kubernetes.protobuf";

    /// <summary>The four bytes every Kubernetes protobuf body starts with: <c>k8s\0</c>.</summary>
    private static ReadOnlySpan<byte> Magic => "k8s\0"u8;

    /// <summary>The object (kind and apiVersion from the envelope) and its <c>metadata.generateName</c>, or the Status to answer.</summary>
    public static (KubeObject? Value, string? GenerateName, KubernetesError? Error) Decode(ReadOnlySpan<byte> body, ObjectResource resource)
    {
        var kind = resource.Kind;
        if (body.IsEmpty)
        {
            return (null, null, KubernetesError.BadRequest($"the request body must be a {kind} object"));
        }

        try
        {
            var (apiVersion, envelopeKind, raw) = ReadEnvelope(body);
            var (metadata, generateName, spec) = ReadObject(raw, resource);
            var value = new KubeObject { Kind = envelopeKind, ApiVersion = apiVersion, Metadata = metadata, Spec = spec };
            return (value, generateName, null);
        }
        catch (Exception e) when (e is InvalidProtocolBufferException or FormatException)
        {
            return (null, null, KubernetesError.BadRequest($"{kind} in version \"v1\" cannot be handled as a {kind}: {e.Message}"));
        }
    }

    private static (string? ApiVersion, string? Kind, ByteString Raw) ReadEnvelope(ReadOnlySpan<byte> body)
    {
        if (body.Length < Magic.Length || !body[..Magic.Length].SequenceEqual(Magic))
        {
            throw new FormatException("provided data does not appear to be a protobuf message, expected prefix [107 56 115 0]");
        }

        string? apiVersion = null, kind = null, contentEncoding = null, contentType = null;
        var raw = ByteString.Empty;
        var input = new CodedInputStream(body[Magic.Length..].ToArray());
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 1: (apiVersion, kind) = ReadTypeMeta(ReadMessage(input, tag)); break;
                case 2: raw = ReadMessage(input, tag); break;
                case 3: contentEncoding = ReadString(input, tag); break;
                case 4: contentType = ReadString(input, tag); break;
                default: input.SkipLastField(); break;
            }
        }

        if (contentEncoding is not null)
        {
            throw new FormatException($"unsupported contentEncoding {contentEncoding} in the protobuf envelope");
        }

        if (contentType is not null && !string.Equals(contentType, MediaType, StringComparison.OrdinalIgnoreCase))
        {
            throw new FormatException($"unsupported contentType {contentType} in the protobuf envelope");
        }

        return (apiVersion, kind, raw);
    }

    /// <summary>ServiceAccount, Pod, Secret and Node all carry <c>metadata</c> as field 1; a pod's <c>spec</c> is field 2.</summary>
    private static (ObjectMeta? Metadata, string? GenerateName, PodSpec? Spec) ReadObject(ByteString raw, ObjectResource resource)
    {
        ObjectMeta? metadata = null;
        string? generateName = null;
        PodSpec? spec = null;
        var input = raw.CreateCodedInput();
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 1:
                    (metadata, generateName) = ReadObjectMeta(ReadMessage(input, tag));
                    break;
                case 2 when resource == ObjectResource.Pods:
                    spec = ReadPodSpec(ReadMessage(input, tag));
                    break;
                default:
                    input.SkipLastField();
                    break;
            }
        }

        return (metadata, generateName, spec);
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

    private static (ObjectMeta Metadata, string? GenerateName) ReadObjectMeta(ByteString message)
    {
        string? name = null, generateName = null, @namespace = null;
        var input = message.CreateCodedInput();
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 1: name = ReadString(input, tag); break;
                case 2: generateName = ReadString(input, tag); break;
                case 3: @namespace = ReadString(input, tag); break;
                default: input.SkipLastField(); break;
            }
        }

        // uid, creationTimestamp and the other system fields are set by the server, as kube-apiserver does.
        return (new ObjectMeta { Name = name, Namespace = @namespace }, generateName);
    }

    private static PodSpec ReadPodSpec(ByteString message)
    {
        string? serviceAccountName = null, nodeName = null;
        var input = message.CreateCodedInput();
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 8: serviceAccountName = ReadString(input, tag); break;
                case 10: nodeName = ReadString(input, tag); break;
                default: input.SkipLastField(); break;
            }
        }

        return new PodSpec { ServiceAccountName = serviceAccountName, NodeName = nodeName };
    }

    /// <summary>Reads a length-delimited string; an empty string counts as absent (gogo emits every string).</summary>
    private static string? ReadString(CodedInputStream input, uint tag)
    {
        ExpectLengthDelimited(tag);
        var value = input.ReadString();
        return value.Length == 0 ? null : value;
    }

    private static ByteString ReadMessage(CodedInputStream input, uint tag)
    {
        ExpectLengthDelimited(tag);
        return input.ReadBytes();
    }

    private static void ExpectLengthDelimited(uint tag)
    {
        var actual = WireFormat.GetTagWireType(tag);
        if (actual != WireFormat.WireType.LengthDelimited)
        {
            throw new FormatException($"field {WireFormat.GetTagFieldNumber(tag)} has wire type {actual}, expected {WireFormat.WireType.LengthDelimited}");
        }
    }
}
