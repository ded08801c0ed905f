using System.Text.RegularExpressions;

namespace Pipeline.DataVersioning.Config;

/// <summary>
/// DVC's four config levels merged in DVC's order, each overriding the one before: system, global (per user), the
/// repository's <c>.dvc/config</c> and the git-ignored <c>.dvc/config.local</c>. configobj's INI dialect:
/// <c>[core]</c> and <c>['remote "name"']</c> sections with <c>key = value</c> lines; a relative path is relative
/// to the file it is written in.
/// </summary>
public sealed partial class DvcConfig
{
    private readonly Dictionary<string, Dictionary<string, (string Value, string Directory)>> _sections = new(
        StringComparer.Ordinal
    );

    public string? DefaultRemote => Get("core", "remote")?.ToLowerInvariant();

    public IReadOnlyDictionary<string, RemoteConfig> Remotes =>
        _sections
            .Where(s => s.Key.StartsWith("remote ", StringComparison.Ordinal))
            .Select(s => ToRemote(s.Key["remote ".Length..], s.Value))
            .ToDictionary(r => r.Name, StringComparer.Ordinal);

    public static DvcConfig Load(string dvcDirectory, Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        var config = new DvcConfig();
        string?[] files =
        [
            SystemDirectory(environment) is { } system ? Path.Combine(system, "config") : null,
            GlobalDirectory(environment) is { } global ? Path.Combine(global, "config") : null,
            Path.Combine(dvcDirectory, "config"),
            Path.Combine(dvcDirectory, "config.local"),
        ];
        foreach (var path in files)
        {
            if (path is not null && File.Exists(path))
            {
                config.Merge(path);
            }
        }

        return config;
    }

    /// <summary>platformdirs' user config folder for DVC (<c>~/.config/dvc</c> on Linux), or DVC_GLOBAL_CONFIG_DIR.</summary>
    public static string? GlobalDirectory(Func<string, string?> environment)
    {
        if (environment("DVC_GLOBAL_CONFIG_DIR") is { Length: > 0 } explicitDir)
        {
            return explicitDir;
        }

        if (OperatingSystem.IsWindows())
        {
            return environment("LOCALAPPDATA") is { Length: > 0 } local
                ? Path.Combine(local, "iterative", "dvc")
                : null;
        }

        var home = environment("HOME");
        if (OperatingSystem.IsMacOS())
        {
            return home is { Length: > 0 } ? Path.Combine(home, "Library", "Application Support", "dvc") : null;
        }

        return environment("XDG_CONFIG_HOME") is { Length: > 0 } xdg ? Path.Combine(xdg, "dvc")
            : home is { Length: > 0 } ? Path.Combine(home, ".config", "dvc")
            : null;
    }

    /// <summary>platformdirs' site config folder for DVC (<c>/etc/xdg/dvc</c> on Linux), or DVC_SYSTEM_CONFIG_DIR.</summary>
    public static string? SystemDirectory(Func<string, string?> environment)
    {
        if (environment("DVC_SYSTEM_CONFIG_DIR") is { Length: > 0 } explicitDir)
        {
            return explicitDir;
        }

        if (OperatingSystem.IsWindows())
        {
            return environment("PROGRAMDATA") is { Length: > 0 } data ? Path.Combine(data, "iterative", "dvc") : null;
        }

        if (OperatingSystem.IsMacOS())
        {
            return "/Library/Application Support/dvc";
        }

        var first = environment("XDG_CONFIG_DIRS")?.Split(':', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
        return Path.Combine(first ?? "/etc/xdg", "dvc");
    }

    public string? Get(string section, string key) =>
        _sections.TryGetValue(section, out var values) && values.TryGetValue(key, out var entry) ? entry.Value : null;

    /// <summary>The remote named <paramref name="name"/>, or <c>core.remote</c> when null.</summary>
    public RemoteConfig ResolveRemote(string? name, string context)
    {
        var wanted =
            name?.ToLowerInvariant()
            ?? DefaultRemote
            ?? throw new DvcException(
                $"{context}: no remote is configured. Set one with 'dvc remote add -d <name> <url>' (core.remote in .dvc/config)."
            );
        return Remotes.TryGetValue(wanted, out var remote)
            ? remote
            : throw new DvcException(
                $"{context}: unknown remote '{wanted}'. Configured remotes: {(Remotes.Count == 0 ? "none" : string.Join(", ", Remotes.Keys.Order(StringComparer.Ordinal)))}."
            );
    }

    private void Merge(string path)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        string? section = null;
        var lineNumber = 0;
        foreach (var raw in File.ReadLines(path))
        {
            lineNumber++;
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#') || line.StartsWith(';'))
            {
                continue;
            }

            if (line.StartsWith('['))
            {
                section =
                    ParseSection(line)
                    ?? throw new DvcException($"{path}:{lineNumber}: malformed section header {line}");
                if (!_sections.ContainsKey(section))
                {
                    _sections[section] = new Dictionary<string, (string, string)>(StringComparer.Ordinal);
                }

                continue;
            }

            var equals = line.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0 || section is null)
            {
                throw new DvcException($"{path}:{lineNumber}: expected 'key = value' inside a section, got '{line}'");
            }

            _sections[section][line[..equals].Trim()] = (Unquote(line[(equals + 1)..].Trim()), directory);
        }
    }

    private static string? ParseSection(string line)
    {
        var match = SectionHeader().Match(line);
        if (!match.Success)
        {
            return null;
        }

        var name = match.Groups["name"].Value.Trim();
        var remote = RemoteSection().Match(name);
        return remote.Success
            ? $"{remote.Groups["kind"].Value} {remote.Groups["name"].Value.ToLowerInvariant()}"
            : name;
    }

    private static RemoteConfig ToRemote(string name, Dictionary<string, (string Value, string Directory)> values)
    {
        var url = values.TryGetValue("url", out var entry)
            ? entry
            : throw new DvcException($"remote '{name}' has no url");
        return new RemoteConfig(
            name,
            url.Value,
            values.ToDictionary(kv => kv.Key, kv => kv.Value.Value, StringComparer.Ordinal),
            url.Directory
        );
    }

    private static string Unquote(string value) =>
        value.Length >= 2 && (value[0] == '"' || value[0] == '\'') && value[^1] == value[0] ? value[1..^1] : value;

    [GeneratedRegex(@"^\[+\s*(?<q>['""]?)(?<name>.*?)\k<q>\s*\]+$")]
    private static partial Regex SectionHeader();

    [GeneratedRegex(@"^\s*(?<kind>remote|machine)\s*""(?<name>.*)""\s*$")]
    private static partial Regex RemoteSection();
}
