namespace TokenAuthority.Tests.Keys;

/// <summary>What a wrapped key does when asked for its private parameters.</summary>
public enum PrivateExport
{
    /// <summary>Refuses, as a non-exportable HSM or platform key does.</summary>
    Refused,

    /// <summary>Hands them over, as a software key does.</summary>
    Allowed,

    /// <summary>Answers with the public parameters only instead of refusing (a careless wrapper).</summary>
    PublicOnly,
}
