using TokenAuthority.Validation;
namespace TokenAuthority.Server.Http;

/// <summary>A protobuf body that is well-formed protobuf but not what the Kubernetes envelope allows.</summary>
internal sealed class KubernetesProtobufException : Exception
{
    public KubernetesProtobufException()
    {
    }

    public KubernetesProtobufException(string message)
        : base(message)
    {
    }

    public KubernetesProtobufException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
