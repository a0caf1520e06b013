using TokenAuthority.Binding;

namespace TokenAuthority.PostgreSql.Storage;

/// <summary>The outcome of <see cref="PostgreSqlObjectStore.CreateAsync"/>.</summary>
/// <param name="Outcome">Created, or why not.</param>
/// <param name="Created">The stored object when created.</param>
/// <param name="Message">When not created, the message Kubernetes gives (e.g. <c>pods "web-0" already exists</c>).</param>
public sealed record ObjectCreateResult(ObjectCreateOutcome Outcome, BoundObject? Created, string? Message);
