namespace Pipeline.Tests.Helm;

/// <summary>Locates files of the repository from the test output folder, wherever the tests run from.</summary>
internal static class RepositoryPaths
{
    /// <summary>The folder that holds AkkaPipeline.sln.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>The chart under test.</summary>
    public static string Chart => Path.Combine(Root, "helm", "akka-pipeline");

    /// <summary>A path below the repository root, given as segments.</summary>
    public static string Of(params string[] segments) => Path.Combine([Root, .. segments]);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "AkkaPipeline.sln")))
                return dir.FullName;
        }
        throw new InvalidOperationException(
            $"No AkkaPipeline.sln above {AppContext.BaseDirectory}: run the tests from a clone of the repository (./test.sh).");
    }
}
