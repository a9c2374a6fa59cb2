namespace Pipeline.Service.Bench;

/// <summary>What the figures were measured on: cores, memory and CPU model as Linux reports them.</summary>
internal static class MachineDescription
{
    public static string Read()
    {
        var cpu = ReadField("/proc/cpuinfo", "model name") ?? "unknown CPU";
        var memory = ReadField("/proc/meminfo", "MemTotal") ?? "unknown";
        var load = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "unknown";
        return $"{Environment.ProcessorCount} cores, MemTotal {memory}, CPU \"{cpu}\", load average {load} at the end";
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
