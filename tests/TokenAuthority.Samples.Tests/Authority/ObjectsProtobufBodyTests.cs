using System.Net.Http.Headers;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Google.Protobuf;
using TokenAuthority.Samples.Authority.ObjectsApi;
using TokenAuthority.Samples.Tests.TestSupport;

namespace TokenAuthority.Samples.Tests.Authority;

/// <summary>
/// The objects API's Kubernetes protobuf bodies (what kubectl 1.32+ sends for <c>create serviceaccount</c> and
/// <c>create secret</c>): field numbers of <c>k8s.io/api/core/v1/generated.proto</c>, unknown fields skipped, malformed
/// input a 400 <c>Status</c>. The bodies are written field by field here, as gogo-protobuf writes them.
/// </summary>
public sealed class ObjectsProtobufBodyTests(AuthorityFixture fixture) : IClassFixture<AuthorityFixture>
{
    private RunningSamples Samples => fixture.Samples;

    [Fact]
    public void A_service_account_decodes_with_its_unknown_fields_skipped()
    {
        var body = Envelope("v1", "ServiceAccount", Message(
            (1, Message((1, Text("builder")), (3, Text("team-a")), (5, Text("ignored-uid")), (11, Message((1, Text("app")), (2, Text("web")))))),
            (2, Message((3, Text("builder-token")))),
            (4, Varint(1))));

        var (value, generateName, error) = ObjectsProtobufBody.Decode(body, ObjectResource.ServiceAccounts);

        Assert.Null(error);
        Assert.Null(generateName);
        Assert.Equal(("ServiceAccount", "v1", "builder", "team-a"), (value!.Kind, value.ApiVersion, value.Metadata!.Name, value.Metadata.Namespace));
        Assert.Null(value.Metadata.Uid);
        Assert.Null(value.Spec);
    }

    [Fact]
    public void A_pod_keeps_its_service_account_and_node_and_skips_containers()
    {
        var spec = Message(
            (2, Message((1, Text("web")), (2, Text("nginx")))),
            (3, Text("Always")),
            (4, Varint(30)),
            (8, Text("builder")),
            (9, Text("deprecated-alias")),
            (10, Text("node-1")));
        var body = Envelope("v1", "Pod", Message((1, Message((1, Text("web-0")))), (2, spec), (3, Message((1, Text("Pending"))))));

        var (value, _, error) = ObjectsProtobufBody.Decode(body, ObjectResource.Pods);

        Assert.Null(error);
        Assert.Equal(("web-0", "builder", "node-1"), (value!.Metadata!.Name, value.Spec!.ServiceAccountName, value.Spec.NodeName));
    }

    [Fact]
    public void A_secret_skips_its_data_and_type_and_a_node_decodes_without_a_namespace()
    {
        var secret = Envelope("v1", "Secret", Message((1, Message((1, Text("s1")))), (2, Message((1, Text("password")), (2, Text("x")))), (3, Text("Opaque"))));
        var (value, _, error) = ObjectsProtobufBody.Decode(secret, ObjectResource.Secrets);
        Assert.Null(error);
        Assert.Equal(("Secret", "s1"), (value!.Kind, value.Metadata!.Name));
        Assert.Null(value.Spec);

        var node = Envelope("v1", "Node", Message((1, Message((1, Text("node-1")))), (2, Message((1, Text("10.0.0.0/24"))))));
        (value, _, error) = ObjectsProtobufBody.Decode(node, ObjectResource.Nodes);
        Assert.Null(error);
        Assert.Equal(("Node", "node-1"), (value!.Kind, value.Metadata!.Name));
        Assert.Null(value.Metadata.Namespace);
        Assert.Null(value.Spec);
    }

    [Fact]
    public void GenerateName_is_returned_for_the_endpoint_to_refuse()
    {
        var body = Envelope("v1", "Secret", Message((1, Message((2, Text("web-"))))));
        var (value, generateName, error) = ObjectsProtobufBody.Decode(body, ObjectResource.Secrets);
        Assert.Null(error);
        Assert.Null(value!.Metadata!.Name);
        Assert.Equal("web-", generateName);
    }

    public static TheoryData<byte[], string> MalformedBodies() => new()
    {
        { [], "the request body must be a Secret object" },
        { "{\"metadata\":{}}"u8.ToArray(), "Secret in version \"v1\" cannot be handled as a Secret: provided data does not appear to be a protobuf message, expected prefix [107 56 115 0]" },
        { [.. "k8s\0"u8, 0x12, 0x05, 0x0a], "Secret in version \"v1\" cannot be handled as a Secret: While parsing a protocol message, the input ended unexpectedly in the middle of a field.  This could mean either that the input has been truncated or that an embedded message misreported its own length." },
        { Envelope("v1", "Secret", Message((1, Varint(7)))), "Secret in version \"v1\" cannot be handled as a Secret: field 1 has wire type Varint, expected LengthDelimited" },
        { [.. "k8s\0"u8, .. Message((2, Message((1, Message((1, Text("s1"))))))), .. Message((3, Text("gzip")))], "Secret in version \"v1\" cannot be handled as a Secret: unsupported contentEncoding gzip in the protobuf envelope" },
        { [.. "k8s\0"u8, .. Message((4, Text("application/json")))], "Secret in version \"v1\" cannot be handled as a Secret: unsupported contentType application/json in the protobuf envelope" },
    };

    [Theory]
    [MemberData(nameof(MalformedBodies))]
    public void A_malformed_body_is_a_400_in_the_words_of_the_JSON_path(byte[] body, string message)
    {
        var (value, _, error) = ObjectsProtobufBody.Decode(body, ObjectResource.Secrets);
        Assert.Null(value);
        Assert.Equal((400, "BadRequest", message), (error!.Code, error.Reason, error.Message));
    }

    [Property(MaxTest = 500)]
    public bool Any_bytes_after_the_magic_decode_or_are_a_400_never_an_exception(byte[] tail)
    {
        var (value, _, error) = ObjectsProtobufBody.Decode([.. "k8s\0"u8, .. tail], ObjectResource.Pods);
        return (value is null) != (error is null) && (error is null || (error.Code, error.Reason) == (400, "BadRequest"));
    }

    [Property(MaxTest = 500)]
    public Property A_valid_pod_with_one_byte_changed_decodes_or_is_a_400_never_an_exception(NonNegativeInt position, byte replacement)
    {
        var body = Envelope("v1", "Pod", Message((1, Message((1, Text("web-0")), (3, Text("default")))), (2, Message((8, Text("builder")), (10, Text("node-1"))))));
        var at = 4 + (position.Get % (body.Length - 4));
        body[at] = replacement;
        var (value, _, error) = ObjectsProtobufBody.Decode(body, ObjectResource.Pods);
        return ((value is null) != (error is null) && (error is null || error.Code == 400)).ToProperty();
    }

    [Fact]
    public async Task Over_HTTP_a_protobuf_service_account_is_created_and_read_back_as_JSON()
    {
        var body = Envelope("v1", "ServiceAccount", Message((1, Message((1, Text("proto-sa")), (3, Text("proto-ns"))))));
        var (status, answer) = await PostAsync("/api/v1/namespaces/proto-ns/serviceaccounts", body, "application/vnd.kubernetes.protobuf");
        Assert.Equal(201, status);
        Assert.Equal("proto-sa", answer["metadata"]!["name"]!.GetValue<string>());

        var (getStatus, got) = await Samples.SendAsync(HttpMethod.Get, "/api/v1/namespaces/proto-ns/serviceaccounts/proto-sa");
        Assert.Equal(200, getStatus);
        Assert.Equal(("ServiceAccount", "proto-ns"), (got!["kind"]!.GetValue<string>(), got["metadata"]!["namespace"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Over_HTTP_the_envelope_kind_and_namespace_are_checked_as_for_JSON()
    {
        var (status, answer) = await PostAsync("/api/v1/namespaces/default/secrets", Envelope("v1", "Pod", Message((1, Message((1, Text("x")))))), "application/vnd.kubernetes.protobuf");
        Assert.Equal((400, "the kind in the data (Pod) does not match the expected kind (Secret) of secrets"), (status, answer["message"]!.GetValue<string>()));

        (status, answer) = await PostAsync("/api/v1/namespaces/default/secrets", Envelope("v1", "Secret", Message((1, Message((1, Text("x")), (3, Text("other")))))), "application/vnd.kubernetes.protobuf");
        Assert.Equal((400, "the namespace of the provided object does not match the namespace sent on the request"), (status, answer["message"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Over_HTTP_a_malformed_protobuf_body_is_a_400_Status_and_an_unknown_media_type_a_415()
    {
        var (status, answer) = await PostAsync("/api/v1/namespaces/default/secrets", [.. "k8s\0"u8, 0x12, 0x7f], "application/vnd.kubernetes.protobuf");
        Assert.Equal(400, status);
        Assert.Equal(("Status", "BadRequest"), (answer["kind"]!.GetValue<string>(), answer["reason"]!.GetValue<string>()));
        Assert.StartsWith("Secret in version \"v1\" cannot be handled as a Secret: ", answer["message"]!.GetValue<string>(), StringComparison.Ordinal);

        (status, answer) = await PostAsync("/api/v1/namespaces/default/secrets", "metadata: {name: x}"u8.ToArray(), "application/yaml");
        Assert.Equal(415, status);
        Assert.Equal(("Status", "UnsupportedMediaType"), (answer["kind"]!.GetValue<string>(), answer["reason"]!.GetValue<string>()));
    }

    private async Task<(int Status, System.Text.Json.Nodes.JsonNode Body)> PostAsync(string path, byte[] body, string contentType)
    {
        using var client = Samples.AdminClient();
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        using var response = await client.PostAsync(new Uri(Samples.AuthorityUrl, path), content);
        return ((int)response.StatusCode, (await RunningSamples.ReadJsonAsync(response))!);
    }

    /// <summary>The <c>k8s\0</c> magic and a <c>runtime.Unknown</c>: typeMeta (1), raw (2), contentType (4) as kubectl writes it.</summary>
    private static byte[] Envelope(string apiVersion, string kind, byte[] raw) =>
        [.. "k8s\0"u8, .. Message((1, Message((1, Text(apiVersion)), (2, Text(kind)))), (2, raw), (3, Text(string.Empty)), (4, Text(string.Empty)))];

    private static byte[] Text(string value) => System.Text.Encoding.UTF8.GetBytes(value);

    /// <summary>A varint field's value; <see cref="Message"/> writes it with wire type 0.</summary>
    private static VarintValue Varint(long value) => new(value);

    /// <summary>A message of length-delimited fields (bytes) and varint fields (<see cref="VarintValue"/>).</summary>
    private static byte[] Message(params (int Field, object Value)[] fields)
    {
        using var stream = new MemoryStream();
        var output = new CodedOutputStream(stream);
        foreach (var (field, value) in fields)
        {
            if (value is VarintValue varint)
            {
                output.WriteTag(field, WireFormat.WireType.Varint);
                output.WriteInt64(varint.Value);
            }
            else
            {
                output.WriteTag(field, WireFormat.WireType.LengthDelimited);
                output.WriteBytes(ByteString.CopyFrom((byte[])value));
            }
        }

        output.Flush();
        return stream.ToArray();
    }

    private sealed record VarintValue(long Value);
}
