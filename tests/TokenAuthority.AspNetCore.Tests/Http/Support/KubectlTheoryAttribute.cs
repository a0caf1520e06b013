namespace TokenAuthority.AspNetCore.Tests.Http.Support;

/// <summary>A theory that reports itself skipped, with the reason, on a machine without kubectl.</summary>
public sealed class KubectlTheoryAttribute : TheoryAttribute
{
    public KubectlTheoryAttribute()
    {
        if (Kubectl.MissingReason is { } reason)
        {
            Skip = reason;
        }
    }
}
