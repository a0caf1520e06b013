using System.Buffers;
using System.Text.Json;
using TokenAuthority.Model;
using TokenAuthority.Validation;

namespace TokenAuthority.Server.Http;

/// <summary>
/// The few API server discovery documents kubectl reads (<c>/version</c>, <c>/api</c>, <c>/api/v1</c>,
/// <c>/apis</c>, the authentication group and version): legacy (non-aggregated) JSON describing only what
/// this authority serves.
/// </summary>
internal sealed class KubernetesDiscoveryDocuments
{
    /// <summary>The Content-Type of the empty OpenAPI v2 document; Go's mime parser rejects the <c>@</c> form.</summary>
    public const string OpenApiV2ContentType = "application/com.github.proto-openapi.spec.v2.v1.0+protobuf";

    /// <summary>The name of the authority's own core resource: the TokenRequest subresource.</summary>
    public const string TokenSubresource = "serviceaccounts/token";

    public KubernetesDiscoveryDocuments(KubernetesVersionInfo version, IEnumerable<KubernetesApiResource>? coreResources = null)
    {
        ArgumentNullException.ThrowIfNull(version);
        Version = Write(w =>
        {
            w.WriteString("major", version.Major);
            w.WriteString("minor", version.Minor);
            w.WriteString("gitVersion", version.GitVersion);
            w.WriteString("gitCommit", string.Empty);
            w.WriteString("gitTreeState", string.Empty);
            w.WriteString("buildDate", string.Empty);
            w.WriteString("goVersion", string.Empty);
            w.WriteString("compiler", string.Empty);
            w.WriteString("platform", string.Empty);
        });
        CoreV1 = Write(w =>
        {
            w.WriteString("kind", "APIResourceList");
            w.WriteString("groupVersion", KubernetesApi.CoreV1);
            w.WriteStartArray("resources");
            var token = false;
            foreach (var resource in (coreResources ?? []).OrderBy(r => r.Name, StringComparer.Ordinal))
            {
                if (!token && string.CompareOrdinal(resource.Name, TokenSubresource) > 0)
                {
                    WriteTokenSubresource(w);
                    token = true;
                }

                WriteResource(w, resource);
            }

            if (!token)
            {
                WriteTokenSubresource(w);
            }

            w.WriteEndArray();
        });
        Groups = Write(w =>
        {
            w.WriteString("kind", "APIGroupList");
            w.WriteString("apiVersion", "v1");
            w.WriteStartArray("groups");
            w.WriteStartObject();
            WriteGroupBody(w);
            w.WriteEndObject();
            w.WriteEndArray();
        });
        AuthenticationGroup = Write(w =>
        {
            w.WriteString("kind", "APIGroup");
            w.WriteString("apiVersion", "v1");
            WriteGroupBody(w);
        });
        AuthenticationV1 = Write(w =>
        {
            w.WriteString("kind", "APIResourceList");
            w.WriteString("apiVersion", "v1");
            w.WriteString("groupVersion", KubernetesApi.AuthenticationV1);
            w.WriteStartArray("resources");
            w.WriteStartObject();
            w.WriteString("name", "tokenreviews");
            w.WriteString("singularName", "tokenreview");
            w.WriteBoolean("namespaced", false);
            w.WriteString("kind", TokenReview.KindName);
            WriteVerbs(w);
            w.WriteEndObject();
            w.WriteEndArray();
        });
    }

    /// <summary><c>/version</c>.</summary>
    public byte[] Version { get; }

    /// <summary><c>/api/v1</c>: the <c>serviceaccounts/token</c> subresource and the host's core resources, by name.</summary>
    public byte[] CoreV1 { get; }

    /// <summary><c>/apis</c>.</summary>
    public byte[] Groups { get; }

    /// <summary><c>/apis/authentication.k8s.io</c>.</summary>
    public byte[] AuthenticationGroup { get; }

    /// <summary><c>/apis/authentication.k8s.io/v1</c>: only <c>tokenreviews</c>.</summary>
    public byte[] AuthenticationV1 { get; }

    /// <summary><c>/api</c>, naming the address the client used.</summary>
    public static byte[] CoreVersions(string serverAddress) => Write(w =>
    {
        w.WriteString("kind", "APIVersions");
        w.WriteStartArray("versions");
        w.WriteStringValue(KubernetesApi.CoreV1);
        w.WriteEndArray();
        w.WriteStartArray("serverAddressByClientCIDRs");
        w.WriteStartObject();
        w.WriteString("clientCIDR", "0.0.0.0/0");
        w.WriteString("serverAddress", serverAddress);
        w.WriteEndObject();
        w.WriteEndArray();
    });

    private static void WriteTokenSubresource(Utf8JsonWriter w)
    {
        w.WriteStartObject();
        w.WriteString("name", TokenSubresource);
        w.WriteString("singularName", string.Empty);
        w.WriteBoolean("namespaced", true);
        w.WriteString("group", KubernetesApi.AuthenticationGroup);
        w.WriteString("version", "v1");
        w.WriteString("kind", TokenRequest.KindName);
        WriteVerbs(w);
        w.WriteEndObject();
    }

    private static void WriteResource(Utf8JsonWriter w, KubernetesApiResource resource)
    {
        w.WriteStartObject();
        w.WriteString("name", resource.Name);
        w.WriteString("singularName", resource.SingularName ?? resource.Kind.ToLowerInvariant());
        w.WriteBoolean("namespaced", resource.Namespaced);
        w.WriteString("kind", resource.Kind);
        w.WriteStartArray("verbs");
        foreach (var verb in resource.Verbs)
        {
            w.WriteStringValue(verb);
        }

        w.WriteEndArray();
        if (resource.ShortNames is { Count: > 0 } shortNames)
        {
            w.WriteStartArray("shortNames");
            foreach (var shortName in shortNames)
            {
                w.WriteStringValue(shortName);
            }

            w.WriteEndArray();
        }

        w.WriteEndObject();
    }

    private static void WriteGroupBody(Utf8JsonWriter w)
    {
        w.WriteString("name", KubernetesApi.AuthenticationGroup);
        w.WriteStartArray("versions");
        WriteGroupVersion(w, null);
        w.WriteEndArray();
        WriteGroupVersion(w, "preferredVersion");
    }

    private static void WriteGroupVersion(Utf8JsonWriter w, string? propertyName)
    {
        if (propertyName is null)
        {
            w.WriteStartObject();
        }
        else
        {
            w.WriteStartObject(propertyName);
        }

        w.WriteString("groupVersion", KubernetesApi.AuthenticationV1);
        w.WriteString("version", "v1");
        w.WriteEndObject();
    }

    private static void WriteVerbs(Utf8JsonWriter w)
    {
        w.WriteStartArray("verbs");
        w.WriteStringValue("create");
        w.WriteEndArray();
    }

    private static byte[] Write(Action<Utf8JsonWriter> body)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}
