namespace TokenAuthority.Samples.Tests.TestSupport;

/// <summary>The Authority's data directory inside a test's temporary folder (created by the Authority on start).</summary>
internal sealed record SampleDataDirectory(string Path)
{
    public string Combine(string name) => System.IO.Path.Combine(Path, name);
}
