using System.Buffers;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Google.Protobuf;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;
using TokenAuthority.Errors;
using TokenAuthority.Model;
using TokenAuthority.Validation;

namespace TokenAuthority.Server.Http;

/// <summary>
/// Reads and decodes request bodies as kube-apiserver does: the raw body (chunked or not) up to a limit,
/// JSON when the Content-Type says so or is missing, or the Kubernetes protobuf envelope; then checks the
/// declared apiVersion and kind. Every failure is a <see cref="KubernetesError"/>, never an exception.
/// </summary>
internal static class KubernetesRequestReader
{
    private const string ProtobufMediaType = "application/vnd.kubernetes.protobuf";

    /// <summary>Decodes one kind's body (<see cref="DecodeTokenRequest"/>, <see cref="DecodeTokenReview"/>).</summary>
    public delegate (T? Value, KubernetesError? Error, IReadOnlyList<string> Warnings) BodyDecoder<T>(ReadOnlySpan<byte> body, RequestBodyFormat format, string fieldValidation)
        where T : class;

    /// <summary>
    /// Reads a create request in kube-apiserver's order: the query (<c>CreateOptions</c>), the media type, the body
    /// within <paramref name="limit"/>, then the object. Field-validation warnings are added to the response.
    /// </summary>
    public static async ValueTask<(T? Value, KubernetesError? Error)> ReadCreateAsync<T>(HttpContext context, long limit, BodyDecoder<T> decode)
        where T : class
    {
        var (_, fieldValidation, queryError) = CreateOptionsReader.Read(context.Request.Query);
        if (queryError is not null)
        {
            return (null, queryError);
        }

        if (GetFormat(context.Request.ContentType) is not { } format)
        {
            return (null, KubernetesHttpErrors.UnsupportedMediaType());
        }

        var (body, readError) = await ReadBodyAsync(context.Request, limit, context.RequestAborted).ConfigureAwait(false);
        if (readError is not null)
        {
            return (null, readError);
        }

        var (value, decodeError, warnings) = decode(body, format, fieldValidation);
        if (decodeError is not null)
        {
            return (null, decodeError);
        }

        KubernetesResponseWriter.AddWarnings(context.Response, warnings);

        return (value, null);
    }

    /// <summary>Works out the body format from the Content-Type; null when it is not one the API decodes.</summary>
    public static RequestBodyFormat? GetFormat(string? contentType)
    {
        if (string.IsNullOrWhiteSpace(contentType))
        {
            return RequestBodyFormat.Json;
        }

        if (!MediaTypeHeaderValue.TryParse(contentType, out var parsed) || parsed.MediaType.Value is not { } mediaType)
        {
            return null;
        }

        var charset = parsed.Charset.Value;
        if (charset is not null && !charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase) && !charset.Equals("utf8", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        if (mediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase))
        {
            return RequestBodyFormat.Json;
        }

        return mediaType.Equals(ProtobufMediaType, StringComparison.OrdinalIgnoreCase) ? RequestBodyFormat.Protobuf : null;
    }

    /// <summary>Reads the whole body, refusing more than <paramref name="limit"/> bytes.</summary>
    public static async ValueTask<(byte[]? Body, KubernetesError? Error)> ReadBodyAsync(HttpRequest request, long limit, CancellationToken cancellationToken)
    {
        if (request.ContentLength is { } declared && declared > limit)
        {
            return (null, KubernetesHttpErrors.RequestEntityTooLarge(limit));
        }

        var buffer = ArrayPool<byte>.Shared.Rent(4096);
        try
        {
            using var body = new MemoryStream();
            while (true)
            {
                int read;
                try
                {
                    read = await request.Body.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
                }
                catch (BadHttpRequestException e)
                {
                    // The server's own limits (e.g. Kestrel's MaxRequestBodySize) or a malformed chunked body.
                    return (null, e.StatusCode == StatusCodes.Status413PayloadTooLarge
                        ? KubernetesHttpErrors.RequestEntityTooLarge(limit)
                        : KubernetesError.BadRequest("the request body could not be read"));
                }

                if (read == 0)
                {
                    return (body.ToArray(), null);
                }

                if (body.Length + read > limit)
                {
                    return (null, KubernetesHttpErrors.RequestEntityTooLarge(limit));
                }

                body.Write(buffer, 0, read);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Decodes a TokenRequest body; for JSON, unknown and duplicate fields are handled per <paramref name="fieldValidation"/>.</summary>
    public static (TokenRequest? Value, KubernetesError? Error, IReadOnlyList<string> Warnings) DecodeTokenRequest(
        ReadOnlySpan<byte> body, RequestBodyFormat format, string fieldValidation = CreateOptionsReader.Warn) =>
        WithFieldValidation(body, format, fieldValidation, JsonFieldSchema.TokenRequest,
            Decode(body, format, TokenRequest.KindName, KubernetesJsonContext.Default.TokenRequest,
                KubernetesProtobufReader.ReadTokenRequest, r => (r.ApiVersion, r.Kind)));

    /// <summary>Decodes a TokenReview body; for JSON, unknown and duplicate fields are handled per <paramref name="fieldValidation"/>.</summary>
    public static (TokenReview? Value, KubernetesError? Error, IReadOnlyList<string> Warnings) DecodeTokenReview(
        ReadOnlySpan<byte> body, RequestBodyFormat format, string fieldValidation = CreateOptionsReader.Warn) =>
        WithFieldValidation(body, format, fieldValidation, JsonFieldSchema.TokenReview,
            Decode(body, format, TokenReview.KindName, KubernetesJsonContext.Default.TokenReview,
                KubernetesProtobufReader.ReadTokenReview, r => (r.ApiVersion, r.Kind)));

    private static (T? Value, KubernetesError? Error, IReadOnlyList<string> Warnings) WithFieldValidation<T>(
        ReadOnlySpan<byte> body, RequestBodyFormat format, string fieldValidation, JsonFieldSchema schema, (T? Value, KubernetesError? Error) decoded)
        where T : class
    {
        if (decoded.Error is not null || format != RequestBodyFormat.Json || fieldValidation == CreateOptionsReader.Ignore)
        {
            return (decoded.Value, decoded.Error, []);
        }

        var problems = JsonFieldValidator.Check(body.StartsWith("\uFEFF"u8) ? body[3..] : body, schema);
        if (problems.Count == 0)
        {
            return (decoded.Value, null, []);
        }

        return fieldValidation == CreateOptionsReader.Strict
            ? (null, KubernetesError.BadRequest("strict decoding error: " + string.Join(", ", problems)), [])
            : (decoded.Value, null, problems);
    }

    private static (T? Value, KubernetesError? Error) Decode<T>(
        ReadOnlySpan<byte> body,
        RequestBodyFormat format,
        string expectedKind,
        JsonTypeInfo<T> jsonType,
        Func<ByteString, T> readProtobuf,
        Func<T, (string? ApiVersion, string? Kind)> typeMetaOf)
        where T : class
    {
        if (body.IsEmpty)
        {
            return (null, KubernetesError.BadRequest("the request body is empty"));
        }

        string? apiVersion, kind;
        T? value;
        if (format == RequestBodyFormat.Protobuf)
        {
            try
            {
                var envelope = KubernetesProtobufReader.ReadEnvelope(body);
                (apiVersion, kind) = (envelope.ApiVersion, envelope.Kind);
                var typeError = CheckTypeMeta(apiVersion, kind, expectedKind);
                if (typeError is not null)
                {
                    return (null, typeError);
                }

                value = readProtobuf(envelope.Raw);
            }
            catch (Exception e) when (e is InvalidProtocolBufferException or KubernetesProtobufException)
            {
                return (null, KubernetesError.BadRequest($"{expectedKind} in version \"v1\" cannot be handled as a {expectedKind}: {e.Message}"));
            }

            return (value, null);
        }

        if (body.StartsWith("\uFEFF"u8))
        {
            body = body[3..];
        }

        if (!System.Text.Unicode.Utf8.IsValid(body))
        {
            // Checked up front: System.Text.Json reports some invalid UTF-8 (inside strings) as InvalidOperationException.
            return (null, KubernetesError.BadRequest($"{expectedKind} in version \"v1\" cannot be handled as a {expectedKind}: the body is not valid UTF-8"));
        }

        try
        {
            value = JsonSerializer.Deserialize(body, jsonType);
        }
        catch (JsonException e)
        {
            return (null, KubernetesError.BadRequest($"{expectedKind} in version \"v1\" cannot be handled as a {expectedKind}: {Describe(e)}"));
        }

        if (value is null)
        {
            return (null, KubernetesError.BadRequest($"{expectedKind} in version \"v1\" cannot be handled as a {expectedKind}: the body is not a JSON object"));
        }

        (apiVersion, kind) = typeMetaOf(value);
        var mismatch = CheckTypeMeta(apiVersion, kind, expectedKind);
        return mismatch is null ? (value, null) : (null, mismatch);
    }

    private static KubernetesError? CheckTypeMeta(string? apiVersion, string? kind, string expectedKind)
    {
        if (!string.IsNullOrEmpty(apiVersion) && !string.Equals(apiVersion, KubernetesApi.AuthenticationV1, StringComparison.Ordinal))
        {
            return KubernetesError.BadRequest($"the API version in the data ({apiVersion}) does not match the expected API version ({KubernetesApi.AuthenticationV1})");
        }

        if (!string.IsNullOrEmpty(kind) && !string.Equals(kind, expectedKind, StringComparison.Ordinal))
        {
            return KubernetesError.BadRequest($"the kind in the data ({kind}) does not match the expected kind ({expectedKind})");
        }

        return null;
    }

    private static string Describe(JsonException e)
    {
        var where = e.LineNumber is { } line && e.BytePositionInLine is { } column
            ? string.Create(CultureInfo.InvariantCulture, $" (line {line + 1}, column {column + 1})")
            : string.Empty;
        return string.IsNullOrEmpty(e.Path) || e.Path == "$"
            ? "invalid JSON" + where
            : $"invalid JSON at {e.Path}{where}";
    }
}
