using Akka.Configuration;
using Akka.Configuration.Hocon;

namespace Pipeline.Core.Configuration;

/// <summary>
/// Strict reader over one HOCON section: every value is required (the defaults live in
/// config/pipeline.conf only, never in code), and a wrong type fails with the full key and its origin.
/// </summary>
public sealed class ConfigSection
{
    private readonly Config _config;
    private readonly Func<string, string> _originOf;

    public ConfigSection(Config config, string path, Func<string, string>? originOf = null)
    {
        _config = config;
        Path = path;
        _originOf = originOf ?? (_ => "configuration");
    }

    /// <summary>Wraps a plain HOCON config (tests, code-built settings).</summary>
    public static ConfigSection Of(Config config, string path) =>
        new(config.GetConfig(path) ?? ConfigurationFactory.Empty, path);

    /// <summary>The full path of this section, e.g. <c>akka.kafka.consumer</c>.</summary>
    public string Path { get; }

    public bool Has(string key) => _config.HasPath(key);

    /// <summary>Where the value of <paramref name="key"/> came from (a file, an override or a variable), for error messages.</summary>
    public string Origin(string key) => _originOf(FullKey(key));

    public ConfigSection Section(string key)
    {
        Require(key);
        return new ConfigSection(_config.GetConfig(key), FullKey(key), _originOf);
    }

    public string GetString(string key) => Read(key, "a string", c => c.GetString(key) ?? throw new FormatException("null"));

    public int GetInt(string key) => Read(key, "an integer", c => int.Parse(Raw(key), System.Globalization.CultureInfo.InvariantCulture));

    public long GetLong(string key) => Read(key, "an integer", c => long.Parse(Raw(key), System.Globalization.CultureInfo.InvariantCulture));

    public double GetDouble(string key) => Read(key, "a number", c => double.Parse(Raw(key), System.Globalization.CultureInfo.InvariantCulture));

    public bool GetBool(string key) => Read(key, "on/off (true/false)", c => Raw(key).ToLowerInvariant() switch
    {
        "true" or "on" or "yes" => true,
        "false" or "off" or "no" => false,
        _ => throw new FormatException()
    });

    public TimeSpan GetDuration(string key) => Read(key, "a duration such as 500ms, 10s or 5m", c =>
    {
        var raw = Raw(key);
        if (string.IsNullOrWhiteSpace(raw) || !char.IsDigit(raw.Trim()[0]))
            throw new FormatException();
        return c.GetTimeSpan(key, allowInfinite: false);
    });

    public IReadOnlyList<string> GetStringList(string key) => Read(key, "a list of strings", c => (IReadOnlyList<string>)c.GetStringList(key).ToList());

    public TEnum GetEnum<TEnum>(string key) where TEnum : struct, Enum => Read(key,
        "one of " + string.Join(", ", Enum.GetNames<TEnum>().Select(ToKebab)),
        c => Enum.Parse<TEnum>(Raw(key).Replace("-", "", StringComparison.Ordinal), ignoreCase: true));

    /// <summary>A flat map of the leaf values under <paramref name="key"/> (e.g. a kafka-clients block), keys joined with dots.</summary>
    public IReadOnlyDictionary<string, string> GetFlatMap(string key)
    {
        Require(key);
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        var obj = _config.GetValue(key).GetObject();
        Flatten(obj, "", result);
        return result;
    }

    /// <summary>
    /// The whole section as plain values for code outside .NET (a Python use case's settings): nested dictionaries, lists, and
    /// leaves as integers, numbers, booleans (true/false) or strings.
    /// </summary>
    public IReadOnlyDictionary<string, object> ToPlainTree() => PlainObject(_config.Root.GetObject());

    private static Dictionary<string, object> PlainObject(HoconObject obj) =>
        obj.Items.ToDictionary(item => item.Key, item => Plain(item.Value), StringComparer.Ordinal);

    private static object Plain(HoconValue value)
    {
        if (value.IsObject())
            return PlainObject(value.GetObject());
        if (value.IsArray())
            return value.GetArray().Select(Plain).ToList();
        var raw = value.GetString();
        var culture = System.Globalization.CultureInfo.InvariantCulture;
        if (long.TryParse(raw, System.Globalization.NumberStyles.AllowLeadingSign, culture, out var integer))
            return integer;
        if (double.TryParse(raw, System.Globalization.NumberStyles.Float, culture, out var number))
            return number;
        return raw switch { "true" => true, "false" => false, _ => raw };
    }

    /// <summary>A required integer within bounds.</summary>
    public int GetInt(string key, int min, int max)
    {
        var value = GetInt(key);
        if (value < min || value > max)
            throw new ConfigurationError($"Setting '{FullKey(key)}' = {value} (from {_originOf(FullKey(key))}) is out of range; use a value from {min} to {max}.");
        return value;
    }

    private static void Flatten(HoconObject obj, string prefix, Dictionary<string, string> into)
    {
        foreach (var (name, value) in obj.Items)
        {
            var key = prefix.Length == 0 ? name : prefix + "." + name;
            if (value.IsObject())
                Flatten(value.GetObject(), key, into);
            else
                into[key] = value.GetString();
        }
    }

    private string Raw(string key) => _config.GetValue(key).GetString();

    private void Require(string key)
    {
        if (!_config.HasPath(key))
            throw new ConfigurationError(
                $"Missing required setting '{FullKey(key)}'. Add it to your --config file or pass --set {FullKey(key)}=VALUE " +
                $"(its documented default is in {PipelineConfig.DefaultsOrigin}).");
    }

    private T Read<T>(string key, string expected, Func<Config, T> read)
    {
        Require(key);
        try { return read(_config); }
        catch (Exception e) when (e is not ConfigurationError)
        {
            string raw;
            try { raw = Raw(key); } catch (Exception) { raw = "?"; }
            var full = FullKey(key);
            throw new ConfigurationError($"Setting '{full}' = '{raw}' (from {_originOf(full)}) is not {expected}. Fix that value.", e);
        }
    }

    private string FullKey(string key) => Path.Length == 0 ? key : Path + "." + key;

    private static string ToKebab(string name) =>
        string.Concat(name.Select((ch, i) => char.IsUpper(ch) && i > 0 ? "-" + char.ToLowerInvariant(ch) : char.ToLowerInvariant(ch).ToString()));
}
