namespace TokenAuthority.AspNetCore.Tests.TestSupport;

/// <summary>Files of the checkout the tests run from (README.md, docs/*.md), for tests that keep the docs and the code in step.</summary>
public static class RepositoryFiles
{
    /// <summary>The text of <paramref name="relativePath"/> (e.g. <c>docs/authentication.md</c>) below the folder that holds TokenAuthority.sln.</summary>
    public static string ReadAllText(string relativePath) => File.ReadAllText(Path.Combine(Root(), relativePath));

    private static string Root()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "TokenAuthority.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("TokenAuthority.sln not found above " + AppContext.BaseDirectory);
    }
}
