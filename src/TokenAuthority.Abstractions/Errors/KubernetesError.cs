using System.Globalization;
using TokenAuthority.Model;

namespace TokenAuthority.Errors;

/// <summary>
/// An expected failure with the Kubernetes HTTP code, reason and message, ready to be serialised as a
/// <c>v1 Status</c>. Core operations return it instead of throwing, so the HTTP layer only serialises it.
/// </summary>
public sealed record KubernetesError
{
    /// <summary>The HTTP status code, e.g. 404.</summary>
    public required int Code { get; init; }

    /// <summary>The Kubernetes reason, e.g. <c>NotFound</c>.</summary>
    public required string Reason { get; init; }

    /// <summary>The message as a Kubernetes API server would word it.</summary>
    public required string Message { get; init; }

    /// <summary>Optional details (name, group, kind, causes).</summary>
    public StatusDetails? Details { get; init; }

    /// <summary>Converts the error to the <c>v1 Status</c> wire object.</summary>
    public Status ToStatus() => new() { Message = Message, Reason = Reason, Details = Details, Code = Code };

    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Code} {Reason}: {Message}");

    /// <summary>404: <c>&lt;resource&gt; "&lt;name&gt;" not found</c>.</summary>
    public static KubernetesError NotFound(string resource, string name, string? group = null) => new()
    {
        Code = 404,
        Reason = "NotFound",
        Message = $"{Qualified(resource, group)} {GoQuote.Quote(name)} not found",
        Details = new StatusDetails { Name = name, Group = NullIfEmpty(group), Kind = resource },
    };

    /// <summary>400 with a plain message and no details.</summary>
    public static KubernetesError BadRequest(string message) => new() { Code = 400, Reason = "BadRequest", Message = message };

    /// <summary>409: <c>Operation cannot be fulfilled on &lt;resource&gt; "&lt;name&gt;": &lt;detail&gt;</c>.</summary>
    public static KubernetesError Conflict(string resource, string? group, string name, string detail) => new()
    {
        Code = 409,
        Reason = "Conflict",
        Message = $"Operation cannot be fulfilled on {Qualified(resource, group)} \"{name}\": {detail}",
        Details = new StatusDetails { Name = name, Group = NullIfEmpty(group), Kind = resource },
    };

    /// <summary>422: <c>&lt;Kind&gt;.&lt;group&gt; "&lt;name&gt;" is invalid: &lt;field errors&gt;</c>.</summary>
    public static KubernetesError Invalid(string kind, string? group, string name, IReadOnlyList<FieldError> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        var rendered = errors.Count == 1
            ? errors[0].ToString()
            : "[" + string.Join(", ", errors.Select(e => e.ToString())) + "]";
        return new KubernetesError
        {
            Code = 422,
            Reason = "Invalid",
            Message = $"{Qualified(kind, group)} \"{name}\" is invalid: {rendered}",
            Details = new StatusDetails
            {
                Name = NullIfEmpty(name),
                Group = NullIfEmpty(group),
                Kind = kind,
                Causes = errors.Select(e => new StatusCause { Reason = e.Type, Message = e.Detail(), Field = e.Field }).ToArray(),
            },
        };
    }

    /// <summary>403 in the API server's words for a denied verb on a resource.</summary>
    public static KubernetesError Forbidden(string resource, string? group, string? name, string message) => new()
    {
        Code = 403,
        Reason = "Forbidden",
        Message = string.IsNullOrEmpty(name)
            ? $"{Qualified(resource, group)} is forbidden: {message}"
            : $"{Qualified(resource, group)} \"{name}\" is forbidden: {message}",
        Details = new StatusDetails { Name = NullIfEmpty(name), Group = NullIfEmpty(group), Kind = resource },
    };

    /// <summary>
    /// 403 as kube-apiserver's authorizer words it: <c>pods "web-0" is forbidden: User "x" cannot delete resource "pods"
    /// in API group "" in the namespace "default"</c>.
    /// </summary>
    /// <param name="user">The caller's username.</param>
    /// <param name="verb">The Kubernetes verb (<c>create</c>, <c>get</c>, <c>list</c>, <c>delete</c>, …).</param>
    /// <param name="resource">The resource (plural), e.g. <c>pods</c>.</param>
    /// <param name="subresource">The subresource, e.g. <c>token</c> for <c>serviceaccounts/token</c>; null for none.</param>
    /// <param name="group">The API group; empty for the core group.</param>
    /// <param name="namespace">The namespace; null for a cluster-scoped request.</param>
    /// <param name="name">The object's name; null for a collection.</param>
    /// <returns>The error.</returns>
    public static KubernetesError AuthorizationDenied(string user, string verb, string resource, string? subresource, string? group, string? @namespace, string? name)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(verb);
        ArgumentNullException.ThrowIfNull(resource);
        var scope = @namespace is null ? "at the cluster scope" : $"in the namespace {GoQuote.Quote(@namespace)}";
        var full = string.IsNullOrEmpty(subresource) ? resource : $"{resource}/{subresource}";
        return Forbidden(resource, group, name,
            $"User {GoQuote.Quote(user)} cannot {verb} resource {GoQuote.Quote(full)} in API group {GoQuote.Quote(group ?? string.Empty)} {scope}");
    }

    /// <summary>401 <c>Unauthorized</c>.</summary>
    public static KubernetesError Unauthorized(string message = "Unauthorized") => new() { Code = 401, Reason = "Unauthorized", Message = message };

    /// <summary>500: <c>Internal error occurred: &lt;detail&gt;</c>.</summary>
    public static KubernetesError Internal(string detail) => new()
    {
        Code = 500,
        Reason = "InternalError",
        Message = $"Internal error occurred: {detail}",
        Details = new StatusDetails { Causes = [new StatusCause { Message = detail }] },
    };

    private static string Qualified(string resource, string? group) =>
        string.IsNullOrEmpty(group) ? resource : resource + "." + group;

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
