using System.Reflection;
using Pipeline.Core.Configuration;
using Pipeline.Core.UseCaseRuntime.Python;
using Pipeline.Core.UseCases;

namespace Pipeline.Core.UseCaseRuntime;

/// <summary>
/// Every use case compiled into the given assemblies, found by reflection: adding a use case is writing
/// its class and adding its HOCON block (and its key to <c>pipeline.use-cases.enabled</c>).
/// </summary>
public sealed class UseCaseRegistry
{
    private static readonly string[] Variants = ["A", "B"];

    private UseCaseRegistry(IReadOnlyList<IUseCase> all) => All = all;

    /// <summary>All discovered use case variants, ordered by name and variant.</summary>
    public IReadOnlyList<IUseCase> All { get; }

    /// <summary>Finds every public, non-abstract <see cref="IUseCase"/> with a parameterless constructor.</summary>
    public static UseCaseRegistry Discover(params Assembly[] assemblies)
    {
        var found = assemblies
            .SelectMany(a => a.GetExportedTypes())
            .Where(t => typeof(IUseCase).IsAssignableFrom(t) && t is { IsClass: true, IsAbstract: false })
            .Select(Instantiate)
            .OrderBy(u => u.Name, StringComparer.Ordinal).ThenBy(u => u.Variant, StringComparer.Ordinal)
            .ToList();
        return Of(found);
    }

    /// <summary>A registry of exactly these use cases (tests, or an explicit list instead of discovery).</summary>
    public static UseCaseRegistry Of(IEnumerable<IUseCase> useCases)
    {
        var list = useCases.ToList();
        foreach (var useCase in list)
        {
            if (!Variants.Contains(useCase.Variant))
                throw new InvalidOperationException($"Use case {useCase.GetType().Name} declares variant '{useCase.Variant}'; a variant is \"A\" or \"B\".");
        }
        var clash = list.GroupBy(u => (u.Name, u.Variant)).FirstOrDefault(g => g.Count() > 1);
        if (clash is not null)
            throw new InvalidOperationException(
                $"Use cases {string.Join(" and ", clash.Select(Describe))} both declare {clash.Key.Name} variant {clash.Key.Variant}; " +
                "give one of them the other variant or another name.");
        return new UseCaseRegistry(list);
    }

    /// <summary>
    /// The enabled use cases (every variant of each key in <c>enabled</c>) bound to their settings,
    /// read from <paramref name="section"/> (<c>pipeline.use-cases</c>).
    /// </summary>
    public IReadOnlyList<ConfiguredUseCase> Configure(ConfigSection section) =>
        section.GetStringList("enabled").Distinct()
            .SelectMany(key => ConfigureKey(section, key, $"'{section.Path}.enabled' lists '{key}'"))
            .ToList();

    /// <summary>
    /// Every variant of the use case <paramref name="key"/> bound to its settings, whether or not it is enabled (replay and
    /// backfill run use cases that the live nodes may not run yet).
    /// </summary>
    public IReadOnlyList<ConfiguredUseCase> ConfigureOne(ConfigSection section, string key) =>
        ConfigureKey(section, key, $"Use case '{key}'");

    private List<ConfiguredUseCase> ConfigureKey(ConfigSection section, string key, string named)
    {
        var known = All.Select(u => u.ConfigKey).Distinct().ToList();
        if (!known.Contains(key))
            throw new ConfigurationError(
                $"{named}, which is not a known use case. Known: {string.Join(", ", known)}. " +
                "Fix the name, or add the use case's class to Pipeline.UseCases (C#) or its .py file to pipeline.python.use-cases-dir (Python).");
        var own = section.Section(key);
        var historyKey = own.Has("history") ? $"{own.Path}.history" : $"{section.Path}.history";
        var history = own.Has("history") ? own.GetPositiveDuration("history") : section.GetPositiveDuration("history");
        return All.Where(u => u.ConfigKey == key)
            .Select(useCase => Bind(useCase, own, history, historyKey))
            .ToList();
    }

    private static ConfiguredUseCase Bind(IUseCase useCase, ConfigSection section, TimeSpan history, string historyKey)
    {
        var settings = useCase.ReadSettings(section);
        var needed = useCase.HistoryNeeded(settings);
        if (history < needed)
            throw new ConfigurationError(
                $"Use case '{useCase.ConfigKey}' ({useCase.Name}/{useCase.Variant}) needs at least {needed.TotalDays:0.#} days of history " +
                $"with its settings, but '{historyKey}' is {history.TotalDays:0.#} days. Raise '{section.Path}.history' (and the store's " +
                "retention with it) or change the use case's settings.");
        return new ConfiguredUseCase(useCase, settings, history);
    }

    private static string Describe(IUseCase useCase) => useCase is PythonUseCase python ? Path.GetFileName(python.File) : useCase.GetType().Name;

    private static IUseCase Instantiate(Type type)
    {
        if (type.GetConstructor(Type.EmptyTypes) is null)
            throw new InvalidOperationException($"Use case {type.Name} needs a public parameterless constructor; its settings come through ReadSettings.");
        return (IUseCase)Activator.CreateInstance(type)!;
    }
}
