namespace TokenAuthority.Tests.TestSupport;

/// <summary>
/// A generated issuance: a service account, the audiences its token is requested for, audiences that
/// are not among them, a requested list mixing both, a binding and a lifetime.
/// </summary>
public sealed record TokenScenario(
    string Namespace,
    string ServiceAccount,
    string ServiceAccountUid,
    string[] Audiences,
    string[] Outsiders,
    string[] Requested,
    BindingCase Binding,
    int Lifetime)
{
    public override string ToString() =>
        $"{Namespace}/{ServiceAccount} ({ServiceAccountUid}) aud=[{string.Join(",", Audiences)}] out=[{string.Join(",", Outsiders)}] req=[{string.Join(",", Requested)}] {Binding} {Lifetime}s";
}
