using Akka.Configuration;

namespace Pipeline.Core.Configuration;

/// <summary>One source of settings (a file, --set overrides, environment) and the name users know it by.</summary>
public sealed record ConfigLayer(string Origin, Config Config);
