namespace Pipeline.Service.Bench;

/// <summary>What the figures were measured on: cores, memory and CPU model as Linux reports them, and this process's GC.</summary>
internal static class MachineDescription
{
    public static string Read()
    {
        var cpu = ReadField("/proc/cpuinfo", "model name") ?? "unknown CPU";
        var memory = ReadField("/proc/meminfo", "MemTotal") ?? "unknown";
        var load = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "unknown";
        return $"{Environment.ProcessorCount} cores, MemTotal {memory}, CPU \"{cpu}\", load average {load} at the end, {GarbageCollector()}";
    }

    /// <summary>The GC mode, and the GC settings given in the environment (they change the figures as much as the machine does).</summary>
    private static string GarbageCollector()
    {
        var mode = System.Runtime.GCSettings.IsServerGC ? "server GC" : "workstation GC";
        var settings = Environment.GetEnvironmentVariables().Keys.Cast<string>()
            .Where(name => name.StartsWith("DOTNET_GC", StringComparison.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal)
            .Select(name => $"{name}={Environment.GetEnvironmentVariable(name)}")
            .ToList();
        return settings.Count == 0 ? mode : $"{mode} ({string.Join(", ", settings)})";
    }

    private static string? ReadField(string file, string name)
    {
        if (!File.Exists(file))
            return null;
        return File.ReadLines(file)
            .Where(line => line.StartsWith(name, StringComparison.Ordinal))
            .Select(line => line[(line.IndexOf(':') + 1)..].Trim())
            .FirstOrDefault();
    }
}
