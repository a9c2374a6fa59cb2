using Xunit.Abstractions;

namespace Pipeline.Tests.Architecture;

/// <summary>The layering the folders promise, checked on the compiled code so a new dependency that breaks it fails here.</summary>
public sealed class NamespaceDependencyTests(ITestOutputHelper output)
{
    private static readonly Lazy<NamespaceGraph> Graph = new(() => NamespaceGraph.Read(
        typeof(Pipeline.Core.UseCases.IUseCase).Assembly,
        typeof(Pipeline.UseCases.UseCasesAssembly).Assembly,
        typeof(Pipeline.Service.Run.RunSettings).Assembly));

    [Fact]
    public void No_two_namespaces_use_each_other()
    {
        var cycles = Graph.Value.Cycles();
        foreach (var cycle in cycles)
        {
            output.WriteLine(string.Join(" <-> ", cycle));
            foreach (var from in cycle)
            foreach (var (to, example) in Graph.Value.Edges[from].Where(e => cycle.Contains(e.Key)))
                output.WriteLine($"  {from} uses {to}: {example}");
        }
        Assert.True(cycles.Count == 0, "namespace cycles (see the output for the uses that make them): " + string.Join("; ", cycles.Select(c => string.Join(" <-> ", c))));
    }

    [Theory]
    // What a use-case author writes against: nothing of the runtime, Kafka, Avro or the store.
    [InlineData("Pipeline.Core.UseCases", "Pipeline.Core.Configuration")]
    // The Kafka connector knows nothing of the pipeline: it could be lifted out as a library.
    [InlineData("Pipeline.Core.Kafka", "Pipeline.Core.Configuration")]
    // The embedded Kafka and registry stand in for infrastructure; they know only its configuration and the Avro rules.
    [InlineData("Pipeline.Core.DevelopmentInfrastructure", "Pipeline.Core.Configuration Pipeline.Core.Schemas")]
    // Rejections and dead letters are written by every stage, so they know none of them.
    [InlineData("Pipeline.Core.DeadLetters", "Pipeline.Core.Configuration")]
    // The reference use cases use the author contract alone.
    [InlineData("Pipeline.UseCases", "Pipeline.Core.UseCases Pipeline.Core.Configuration")]
    public void A_namespace_uses_only_what_its_layer_allows(string layer, string allowed)
    {
        var allowedPrefixes = allowed.Split(' ');
        var offending = Graph.Value.Edges
            .Where(e => e.Key == layer || e.Key.StartsWith(layer + ".", StringComparison.Ordinal))
            .SelectMany(e => e.Value.Where(use => !use.Key.StartsWith(layer, StringComparison.Ordinal) && !allowedPrefixes.Contains(use.Key)).Select(use => $"{e.Key} uses {use.Key}: {use.Value}"))
            .ToList();
        Assert.True(offending.Count == 0, string.Join("\n", offending));
    }

    [Fact]
    public void The_library_runs_on_real_infrastructure_alone()
    {
        const string development = "Pipeline.Core.DevelopmentInfrastructure";
        var offending = Graph.Value.Edges
            .Where(e => e.Key.StartsWith("Pipeline.Core", StringComparison.Ordinal) && !e.Key.StartsWith(development, StringComparison.Ordinal))
            .SelectMany(e => e.Value.Where(use => use.Key.StartsWith(development, StringComparison.Ordinal)).Select(use => $"{e.Key} uses {use.Key}: {use.Value}"))
            .ToList();
        Assert.True(offending.Count == 0, "only the service and the tests start the embedded Kafka or registry:\n" + string.Join("\n", offending));
    }
}
