using TokenAuthority.Validation;
namespace TokenAuthority.Server.Http;

/// <summary>How a request body is encoded.</summary>
internal enum RequestBodyFormat
{
    /// <summary>JSON (<c>application/json</c>, or no Content-Type at all).</summary>
    Json,

    /// <summary>The Kubernetes protobuf envelope (<c>application/vnd.kubernetes.protobuf</c>).</summary>
    Protobuf,
}
