namespace Pipeline.Tests.Support;

/// <summary>Finds the repository checkout the tests were built from (the folder holding AkkaPipeline.sln).</summary>
public static class RepositoryRoot
{
    public static string Path { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "AkkaPipeline.sln")))
                return dir.FullName;
        }
        throw new InvalidOperationException("AkkaPipeline.sln not found above the test output folder; run the tests from a checkout.");
    }
}
