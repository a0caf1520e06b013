namespace TokenAuthority.PostgreSql.Storage;

/// <summary>What happened to a create.</summary>
public enum ObjectCreateOutcome
{
    /// <summary>The object was stored with a new uid.</summary>
    Created,

    /// <summary>An object of that kind, namespace and name exists; nothing was changed (HTTP 409, reason <c>AlreadyExists</c>).</summary>
    AlreadyExists,

    /// <summary>A pod names a service account that does not exist in its namespace; nothing was changed (HTTP 403, as the ServiceAccount admission plugin answers).</summary>
    ServiceAccountNotFound,
}
