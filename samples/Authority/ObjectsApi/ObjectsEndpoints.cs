using TokenAuthority.Server.Http;
using System.Text.Json;
using Microsoft.Net.Http.Headers;
using TokenAuthority.Binding;
using TokenAuthority.Errors;
using TokenAuthority.Model;
using TokenAuthority.Samples.Authority.Hosting;
using TokenAuthority.Samples.Authority.Storage;

namespace TokenAuthority.Samples.Authority.ObjectsApi;

/// <summary>
/// A Kubernetes-shaped API for the objects tokens are bound to: create, get, list and delete service accounts,
/// pods and secrets (namespaced, <c>/api/v1/namespaces/{namespace}/{resource}</c>) and nodes (<c>/api/v1/nodes</c>).
/// </summary>
internal static class ObjectsEndpoints
{
    /// <summary>
    /// Lists the objects API's resources in the authority's <c>/api/v1</c> discovery document, so that kubectl knows them
    /// (<c>kubectl get pods</c>, <c>kubectl create serviceaccount</c>). Pass it to <c>AddTokenAuthorityEndpoints</c>.
    /// </summary>
    public static void AddToDiscovery(TokenAuthorityEndpointOptions options)
    {
        foreach (var resource in ObjectResource.All)
        {
            options.CoreResources.Add(resource.ToApiResource());
        }
    }

    /// <summary>Maps the objects API and returns its group, for conventions such as authorization.</summary>
    public static RouteGroupBuilder MapObjectsApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/v1");
        group.AddEndpointFilter<KubernetesPathEndpointFilter>();
        foreach (var resource in ObjectResource.All)
        {
            var tag = resource.Kind + "s";
            if (resource.Namespaced)
            {
                var collection = $"/namespaces/{{namespace}}/{resource.Plural}";
                Describe(group.MapPost(collection, (string @namespace, HttpContext context, IObjectStore store, CancellationToken ct) => CreateAsync(resource, @namespace, context, store, ct)), resource, "create", tag)
                    .Accepts<KubeObject>(isOptional: true, "application/json", ObjectsProtobufBody.MediaType).Produces<KubeObject>(StatusCodes.Status201Created)
                    .Produces<Status>(StatusCodes.Status400BadRequest)
                    .Produces<Status>(StatusCodes.Status409Conflict).Produces<Status>(StatusCodes.Status422UnprocessableEntity);
                Describe(group.MapGet(collection, (string @namespace, HttpContext context, IObjectStore store, CancellationToken ct) => ListAsync(resource, @namespace, context.Request.Query, store, ct)), resource, "list", tag)
                    .Produces<KubeObjectList>();
                Describe(group.MapGet(collection + "/{name}", (string @namespace, string name, IObjectStore store, CancellationToken ct) => GetAsync(resource, @namespace, name, store, ct)), resource, "read", tag)
                    .Produces<KubeObject>().Produces<Status>(StatusCodes.Status404NotFound);
                Describe(group.MapDelete(collection + "/{name}", (string @namespace, string name, IObjectStore store, IBoundObjectCacheInvalidator cache, CancellationToken ct) => DeleteAsync(resource, @namespace, name, store, cache, ct)), resource, "delete", tag)
                    .Produces<KubeObject>().Produces<Status>(StatusCodes.Status404NotFound);
            }
            else
            {
                var collection = "/" + resource.Plural;
                Describe(group.MapPost(collection, (HttpContext context, IObjectStore store, CancellationToken ct) => CreateAsync(resource, null, context, store, ct)), resource, "create", tag)
                    .Accepts<KubeObject>(isOptional: true, "application/json", ObjectsProtobufBody.MediaType).Produces<KubeObject>(StatusCodes.Status201Created)
                    .Produces<Status>(StatusCodes.Status400BadRequest).Produces<Status>(StatusCodes.Status409Conflict)
                    .Produces<Status>(StatusCodes.Status422UnprocessableEntity);
                Describe(group.MapGet(collection, (HttpContext context, IObjectStore store, CancellationToken ct) => ListAsync(resource, null, context.Request.Query, store, ct)), resource, "list", tag)
                    .Produces<KubeObjectList>();
                Describe(group.MapGet(collection + "/{name}", (string name, IObjectStore store, CancellationToken ct) => GetAsync(resource, null, name, store, ct)), resource, "read", tag)
                    .Produces<KubeObject>().Produces<Status>(StatusCodes.Status404NotFound);
                Describe(group.MapDelete(collection + "/{name}", (string name, IObjectStore store, IBoundObjectCacheInvalidator cache, CancellationToken ct) => DeleteAsync(resource, null, name, store, cache, ct)), resource, "delete", tag)
                    .Produces<KubeObject>().Produces<Status>(StatusCodes.Status404NotFound);
            }
        }

        // kubectl (1.30+) asks for the namespace after a NotFound in a namespace other than default, and prints that answer
        // instead of the NotFound when the namespace is missing. Namespaces are implicit here: every valid name exists.
        Describe(group.MapGet("/namespaces/{name}", (string name) => GetNamespace(name)), ObjectResource.Namespaces, "read", "Namespaces")
            .Produces<KubeObject>().Produces<Status>(StatusCodes.Status404NotFound);

        return group;
    }

    private static IResult GetNamespace(string name) => KubernetesNames.ValidateLabel("metadata.name", name).Count > 0
        ? KubernetesResults.Status(KubernetesError.NotFound(ObjectResource.Namespaces.Plural, name))
        : Results.Json(new KubeObject { Kind = ObjectResource.Namespaces.Kind, ApiVersion = KubernetesApi.CoreV1, Metadata = new ObjectMeta { Name = name } }, ObjectsJsonContext.Relaxed.KubeObject);

    private static RouteHandlerBuilder Describe(RouteHandlerBuilder builder, ObjectResource resource, string verb, string tag) =>
        builder.WithName(verb + (verb == "list" ? resource.ListKind : resource.Kind)).WithTags(tag)
            .WithMetadata(new ObjectsApiAccess(resource, verb == "read" ? "get" : verb))
            .Produces<Status>(StatusCodes.Status401Unauthorized).Produces<Status>(StatusCodes.Status403Forbidden);

    private static async Task<IResult> CreateAsync(ObjectResource resource, string? @namespace, HttpContext context, IObjectStore store, CancellationToken ct)
    {
        byte[] raw;
        try
        {
            using var buffer = new MemoryStream();
            await context.Request.Body.CopyToAsync(buffer, ct);
            raw = buffer.ToArray();
        }
        catch (BadHttpRequestException ex)
        {
            return KubernetesResults.Status(KubernetesResults.ForStatusCode(ex.StatusCode));
        }

        KubeObject? body;
        string? generateName;
        switch (GetBodyFormat(context.Request.ContentType))
        {
            case BodyFormat.Protobuf:
                (body, generateName, var protobufError) = ObjectsProtobufBody.Decode(raw, resource);
                if (protobufError is not null)
                {
                    return KubernetesResults.Status(protobufError);
                }

                break;
            case BodyFormat.Json:
                (body, var decodeError) = ObjectsRequestBody.Decode(raw, resource);
                if (decodeError is not null)
                {
                    return KubernetesResults.Status(decodeError);
                }

                (var duplicates, generateName) = ObjectsRequestBody.Inspect(raw);
                ObjectsRequestBody.AddWarnings(context.Response, duplicates);
                break;
            default:
                return KubernetesResults.Status(KubernetesResults.ForStatusCode(StatusCodes.Status415UnsupportedMediaType));
        }

        if (body!.Kind is { Length: > 0 } kind && kind != resource.Kind)
        {
            return KubernetesResults.Status(KubernetesError.BadRequest($"the kind in the data ({kind}) does not match the expected kind ({resource.Kind}) of {resource.Plural}"));
        }

        if (body.ApiVersion is { Length: > 0 } apiVersion && apiVersion != KubernetesApi.CoreV1)
        {
            return KubernetesResults.Status(KubernetesError.BadRequest($"the API version in the data ({apiVersion}) does not match the expected API version ({KubernetesApi.CoreV1})"));
        }

        if (resource.Namespaced && body.Metadata?.Namespace is { Length: > 0 } bodyNamespace && bodyNamespace != @namespace)
        {
            return KubernetesResults.Status(KubernetesError.BadRequest("the namespace of the provided object does not match the namespace sent on the request"));
        }

        var name = body.Metadata?.Name ?? string.Empty;
        string? serviceAccountName = null, nodeName = null;
        if (resource == ObjectResource.Pods)
        {
            serviceAccountName = string.IsNullOrEmpty(body.Spec?.ServiceAccountName) ? "default" : body.Spec.ServiceAccountName;
            nodeName = string.IsNullOrEmpty(body.Spec?.NodeName) ? null : body.Spec.NodeName;
        }

        var errors = new List<FieldError>();
        if (generateName is not null)
        {
            errors.Add(FieldError.Invalid("metadata.generateName", generateName, "not supported"));
        }

        if (name.Length == 0 && generateName is null)
        {
            errors.Add(FieldError.Required("metadata.name", "name or generateName is required"));
        }
        else if (name.Length > 0)
        {
            errors.AddRange(KubernetesNames.ValidateSubdomain("metadata.name", name));
        }

        if (@namespace is not null)
        {
            errors.AddRange(KubernetesNames.ValidateLabel("metadata.namespace", @namespace));
        }

        if (serviceAccountName is not null)
        {
            errors.AddRange(KubernetesNames.ValidateSubdomain("spec.serviceAccountName", serviceAccountName));
        }

        if (nodeName is not null)
        {
            errors.AddRange(KubernetesNames.ValidateSubdomain("spec.nodeName", nodeName));
        }

        if (errors.Count > 0)
        {
            return KubernetesResults.Status(KubernetesError.Invalid(resource.Kind, null, name, errors));
        }

        var result = await store.CreateAsync(resource.Kind, @namespace, name, serviceAccountName, nodeName, ct);
        if (result.Outcome == CreateOutcome.Created)
        {
            // A recreated object has a new uid: tokens of the old one must not match a remembered answer.
            context.RequestServices.GetRequiredService<IBoundObjectCacheInvalidator>().Invalidate(new BoundObjectKey(resource.Kind, @namespace, name));
        }
        return result.Outcome switch
        {
            CreateOutcome.Created => Results.Json(ToKube(result.Object!), ObjectsJsonContext.Relaxed.KubeObject, statusCode: StatusCodes.Status201Created),
            CreateOutcome.AlreadyExists => KubernetesResults.Status(AlreadyExists(resource, name)),
            _ => KubernetesResults.Status(KubernetesError.Forbidden(resource.Plural, null, name,
                $"error looking up service account {@namespace}/{serviceAccountName}: serviceaccount \"{serviceAccountName}\" not found")),
        };
    }

    /// <summary>JSON when the Content-Type says so or is missing, protobuf for the Kubernetes protobuf media type.</summary>
    private static BodyFormat GetBodyFormat(string? contentType)
    {
        if (string.IsNullOrWhiteSpace(contentType))
        {
            return BodyFormat.Json;
        }

        if (!MediaTypeHeaderValue.TryParse(contentType, out var parsed) || parsed.MediaType.Value is not { } mediaType)
        {
            return BodyFormat.Unsupported;
        }

        if (parsed.Charset.Value is { } charset && !charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase) && !charset.Equals("utf8", StringComparison.OrdinalIgnoreCase))
        {
            return BodyFormat.Unsupported;
        }

        return mediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase) ? BodyFormat.Json
            : mediaType.Equals(ObjectsProtobufBody.MediaType, StringComparison.OrdinalIgnoreCase) ? BodyFormat.Protobuf
            : BodyFormat.Unsupported;
    }

    private static async Task<IResult> ListAsync(ObjectResource resource, string? @namespace, IQueryCollection query, IObjectStore store, CancellationToken ct)
    {
        var (filter, selectorError) = ObjectsListSelectors.Parse(query);
        if (selectorError is not null)
        {
            return KubernetesResults.Status(selectorError);
        }

        IEnumerable<StoredObject> items = await store.ListAsync(resource.Kind, @namespace, ct);
        if (filter is not null)
        {
            items = items.Where(filter);
        }

        return Results.Json(new KubeObjectList { Kind = resource.ListKind, Items = items.Select(ToKube).ToArray() }, ObjectsJsonContext.Relaxed.KubeObjectList);
    }

    private static async Task<IResult> GetAsync(ObjectResource resource, string? @namespace, string name, IObjectStore store, CancellationToken ct)
    {
        var found = await store.GetAsync(resource.Kind, @namespace, name, ct);
        return found is null
            ? KubernetesResults.Status(KubernetesError.NotFound(resource.Plural, name))
            : Results.Json(ToKube(found), ObjectsJsonContext.Relaxed.KubeObject);
    }

    private static async Task<IResult> DeleteAsync(ObjectResource resource, string? @namespace, string name, IObjectStore store, IBoundObjectCacheInvalidator cache, CancellationToken ct)
    {
        var deleted = await store.DeleteAsync(resource.Kind, @namespace, name, ct);

        // After the delete commits: the very next verification of a token bound to it asks the store (no TTL window).
        cache.Invalidate(new BoundObjectKey(resource.Kind, @namespace, name));
        return deleted is null
            ? KubernetesResults.Status(KubernetesError.NotFound(resource.Plural, name))
            : Results.Json(ToKube(deleted), ObjectsJsonContext.Relaxed.KubeObject);
    }

    private static KubernetesError AlreadyExists(ObjectResource resource, string name) => new()
    {
        Code = StatusCodes.Status409Conflict,
        Reason = "AlreadyExists",
        Message = $"{resource.Plural} \"{name}\" already exists",
        Details = new StatusDetails { Name = name, Kind = resource.Plural },
    };

    private static KubeObject ToKube(StoredObject value) => new()
    {
        Kind = value.Kind,
        ApiVersion = KubernetesApi.CoreV1,
        Metadata = new ObjectMeta
        {
            Name = value.Name,
            Namespace = value.Namespace,
            Uid = value.Uid,
            CreationTimestamp = value.CreationTimestamp,
        },
        Spec = value.Kind == BoundObjectKinds.Pod
            ? new PodSpec { ServiceAccountName = value.ServiceAccountName, NodeName = value.NodeName }
            : null,
    };
}
