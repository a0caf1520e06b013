namespace TokenAuthority.Pkcs11.Tests.TestSupport;

/// <summary>Every class that touches SoftHSM2 shares one <see cref="SoftHsm"/> and runs one at a time.</summary>
[CollectionDefinition(Name)]
public sealed class SoftHsmGroup : ICollectionFixture<SoftHsm>
{
    public const string Name = "SoftHSM2";
}
