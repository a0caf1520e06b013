namespace TokenAuthority.Samples.Authority.ObjectsApi;

/// <summary>How an objects API request body is encoded, from its Content-Type.</summary>
internal enum BodyFormat
{
    /// <summary>JSON (<c>application/json</c>, or no Content-Type at all).</summary>
    Json,

    /// <summary>The Kubernetes protobuf envelope (<c>application/vnd.kubernetes.protobuf</c>).</summary>
    Protobuf,

    /// <summary>Anything else: 415.</summary>
    Unsupported,
}
