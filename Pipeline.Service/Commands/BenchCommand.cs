using System.CommandLine;

namespace Pipeline.Service.Commands;

/// <summary><c>pipeline bench</c>: the parent of every benchmark command.</summary>
internal static class BenchCommand
{
    /// <summary>The <c>bench</c> command under <paramref name="root"/>, created by the first benchmark that asks.</summary>
    public static Command GetOrAdd(RootCommand root)
    {
        var bench = root.Subcommands.FirstOrDefault(c => c.Name == "bench");
        if (bench is null)
        {
            bench = new Command("bench", "Short benchmarks of the pipeline's parts on this machine.");
            root.Subcommands.Add(bench);
        }
        return bench;
    }
}
