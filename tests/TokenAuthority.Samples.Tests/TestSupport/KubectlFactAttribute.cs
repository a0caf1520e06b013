namespace TokenAuthority.Samples.Tests.TestSupport;

/// <summary>A fact that needs kubectl on the PATH; reported as skipped, with the reason, where kubectl is missing.</summary>
public sealed class KubectlFactAttribute : FactAttribute
{
    public KubectlFactAttribute()
    {
        if (Kubectl.Path is null)
        {
            Skip = "kubectl is not on the PATH; this test runs the walkthrough's kubectl step.";
        }
    }
}
