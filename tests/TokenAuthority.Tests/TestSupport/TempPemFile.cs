namespace TokenAuthority.Tests.TestSupport;

/// <summary>A PEM written to a temporary file, deleted on dispose.</summary>
public sealed class TempPemFile : IDisposable
{
    public TempPemFile(string pem)
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "tokenauthority-" + Guid.NewGuid().ToString("N") + ".pem");
        File.WriteAllText(Path, pem);
    }

    public string Path { get; }

    public void Dispose() => File.Delete(Path);
}
