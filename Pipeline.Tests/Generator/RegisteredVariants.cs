using Pipeline.Core.Configuration;
using Pipeline.Core.Generator;
using Pipeline.Core.UseCaseRuntime;
using Pipeline.Core.UseCases;
using Pipeline.UseCases;

namespace Pipeline.Tests.Generator;

/// <summary>
/// The use case variants the tests run, taken from the registry: a new use case is covered as soon as its class and
/// its HOCON block exist, with no list to edit.
/// </summary>
internal static class RegisteredVariants
{
    /// <summary>Every registered variant, by config key and variant, enabled or not.</summary>
    public static TheoryData<string, string> All() => Of(_ => true);

    /// <summary>The variants whose target behaviour the generator injects, so its ground truth can judge them.</summary>
    public static TheoryData<string, string> Targeted() => Of(u => InjectedBehaviours.IsInjected(u.TargetBehaviour));

    /// <summary>The variant configured with the shipped defaults.</summary>
    public static ConfiguredUseCase Configure(string key, string variant) =>
        UseCaseRegistry.Discover(UseCasesAssembly.Assembly)
            .ConfigureOne(PipelineConfig.Defaults().Section("pipeline.use-cases"), key)
            .Single(u => u.Variant == variant);

    private static TheoryData<string, string> Of(Func<IUseCase, bool> predicate)
    {
        var data = new TheoryData<string, string>();
        foreach (var useCase in UseCaseRegistry.Discover(UseCasesAssembly.Assembly).All.Where(predicate))
            data.Add(useCase.ConfigKey, useCase.Variant);
        return data;
    }
}
