namespace TokenAuthority.Claims;

/// <summary>A binding to a host-registered kind, carried as a member of the <c>kubernetes.io</c> claim.</summary>
/// <param name="ClaimName">The member name inside <c>kubernetes.io</c>.</param>
/// <param name="Kind">The registered kind.</param>
/// <param name="Reference">The bound object's name and uid.</param>
public sealed record CustomBindingClaim(string ClaimName, string Kind, ObjectReferenceClaim Reference);
