namespace Pipeline.Service.Bench;

/// <summary>One way of running consume -> transform -> produce with at-least-once offset commits.</summary>
internal interface IBenchVariant
{
    /// <summary>Short label used in the tables ("a", "b", "c").</summary>
    string Id { get; }

    /// <summary>What the variant is, for the tables.</summary>
    string Description { get; }

    /// <summary>Starts consuming <paramref name="input"/> as <paramref name="groupId"/>, writing the transformed records to <paramref name="output"/>.</summary>
    RunningVariant Start(string input, string output, string groupId, SteadyStateClock clock);
}
