using System.Diagnostics;
using System.Text.Json;

namespace Pipeline.Cake.Setup;

/// <summary>
/// One program the tests need: found by <see cref="Check"/> (an absolute path, a glob of one, or a command on PATH), or
/// an npm package installed into the tool cache. <see cref="Debian"/> names the packages that provide it.
/// </summary>
public sealed record RequiredTool(
    string Name,
    string Purpose,
    string? Check,
    IReadOnlyList<string> Debian,
    string? Npm,
    string? Version
);

/// <summary>
/// The programs a repository's tests need (<c>tests/tools.json</c>): where each is, why a missing one is missing, and
/// installing the missing ones once per machine (apt-get as root, npm into a cache folder). The tests only look; the
/// TestTools target installs.
/// </summary>
public sealed class MachineTools(IReadOnlyList<RequiredTool> tools, string cacheRoot)
{
    public const string DefaultPath = "tests/tools.json";

    public IReadOnlyList<RequiredTool> Tools { get; } = tools;

    /// <summary>Where npm tools are installed: <c>PIPELINE_TOOLS_CACHE</c>, else <c>~/.cache/pipeline-tools</c>.</summary>
    public static string DefaultCacheRoot =>
        Environment.GetEnvironmentVariable("PIPELINE_TOOLS_CACHE") is { Length: > 0 } custom
            ? custom
            : Path.Combine(
                Environment.GetFolderPath(Environment.SpecialFolder.UserProfile),
                ".cache",
                "pipeline-tools"
            );

    public static MachineTools Load(string path, string? cacheRoot = null)
    {
        using var document = JsonDocument.Parse(
            File.ReadAllText(path),
            new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true }
        );
        var tools = document
            .RootElement.GetProperty("tools")
            .EnumerateArray()
            .Select(t => new RequiredTool(
                t.GetProperty("name").GetString()!,
                t.TryGetProperty("purpose", out var purpose) ? purpose.GetString() ?? string.Empty : string.Empty,
                t.TryGetProperty("check", out var check) ? check.GetString() : null,
                t.TryGetProperty("debian", out var debian)
                    ? [.. debian.EnumerateArray().Select(p => p.GetString()!)]
                    : [],
                t.TryGetProperty("npm", out var npm) ? npm.GetString() : null,
                t.TryGetProperty("version", out var version) ? version.GetString() : null
            ))
            .ToList();
        return new MachineTools(tools, cacheRoot ?? DefaultCacheRoot);
    }

    public RequiredTool this[string name] =>
        Tools.SingleOrDefault(t => t.Name == name)
        ?? throw new KeyNotFoundException($"{DefaultPath} lists no tool '{name}'.");

    /// <summary>The tool's executable, or for an npm tool its install folder; null when it is not on this machine.</summary>
    public string? Locate(string name)
    {
        var tool = this[name];
        if (tool.Npm is { } package)
        {
            var folder = NpmFolder(package, tool.Version!);
            return File.Exists(Path.Combine(folder, ".installed")) ? folder : null;
        }

        return Find(tool.Check!);
    }

    /// <summary>Null when the tool is there; otherwise why it is not, for a test to skip with.</summary>
    public string? Missing(string name) =>
        Locate(name) is not null
            ? null
            : $"{name} ({this[name].Purpose}) is not installed; run ./build.sh --target=TestTools";

    /// <summary>Installs every missing tool; returns what is still missing afterwards, each with its reason.</summary>
    public IReadOnlyList<string> InstallMissing(Action<string> log)
    {
        var debian = Tools.Where(t => t.Npm is null && Locate(t.Name) is null).ToList();
        var packages = debian.SelectMany(t => t.Debian).Distinct(StringComparer.Ordinal).ToList();
        if (packages.Count > 0)
        {
            InstallDebian(packages, log);
        }

        foreach (var tool in Tools.Where(t => t.Npm is not null && Locate(t.Name) is null))
        {
            InstallNpm(tool, log);
        }

        return [.. Tools.Where(t => Locate(t.Name) is null).Select(t => Missing(t.Name)!)];
    }

    private string NpmFolder(string package, string version) => Path.Combine(cacheRoot, $"{package}-{version}");

    private static void InstallDebian(IReadOnlyList<string> packages, Action<string> log)
    {
        if (!OperatingSystem.IsLinux() || Environment.UserName != "root" || Find("apt-get") is null)
        {
            log(
                $"TestTools: {string.Join(' ', packages)} would need apt-get as root; the tests that need them will skip."
            );
            return;
        }

        log($"TestTools: apt-get install {string.Join(' ', packages)}");
        string[] install = ["install", "-y", "-qq", "--no-install-recommends", .. packages];
        if (Run("apt-get", install, TimeSpan.FromMinutes(10)).ExitCode != 0)
        {
            Run("apt-get", ["update", "-qq"], TimeSpan.FromMinutes(5)); // a fresh machine's package lists may be stale
            var (exit, output) = Run("apt-get", install, TimeSpan.FromMinutes(10));
            if (exit != 0)
            {
                log($"TestTools: apt-get install failed (exit {exit}): {output.Trim()}");
            }
        }
    }

    private void InstallNpm(RequiredTool tool, Action<string> log)
    {
        if (Find("npm") is null)
        {
            log($"TestTools: {tool.Name} needs npm, which is not on PATH.");
            return;
        }

        var folder = NpmFolder(tool.Npm!, tool.Version!);
        Directory.CreateDirectory(folder);
        log($"TestTools: npm install {tool.Npm}@{tool.Version} into {folder}");
        var (exit, output) = Run(
            "npm",
            [
                "install",
                "--no-audit",
                "--no-fund",
                "--loglevel=error",
                "--prefix",
                folder,
                $"{tool.Npm}@{tool.Version}",
            ],
            TimeSpan.FromMinutes(5)
        );
        if (exit == 0)
        {
            File.WriteAllText(Path.Combine(folder, ".installed"), tool.Version);
        }
        else
        {
            log($"TestTools: npm install {tool.Npm}@{tool.Version} failed (exit {exit}): {output.Trim()}");
        }
    }

    /// <summary>An absolute path (or a glob in its folder part, e.g. a versioned PostgreSQL), or a command on PATH.</summary>
    private static string? Find(string check)
    {
        if (!Path.IsPathRooted(check))
        {
            return (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
                .Split(Path.PathSeparator)
                .Select(dir => Path.Combine(dir, check))
                .FirstOrDefault(File.Exists);
        }

        if (!check.Contains('*', StringComparison.Ordinal))
        {
            return File.Exists(check) ? check : null;
        }

        var star = check.IndexOf('*', StringComparison.Ordinal);
        var parent = Path.GetDirectoryName(check[..star])!;
        var rest = check[(check.IndexOf('/', star) + 1)..];
        return Directory.Exists(parent)
            ? Directory
                .GetDirectories(parent)
                .Order(StringComparer.Ordinal)
                .Reverse()
                .Select(d => Path.Combine(d, rest))
                .FirstOrDefault(File.Exists)
            : null;
    }

    private static (int ExitCode, string Output) Run(string file, IEnumerable<string> arguments, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["DEBIAN_FRONTEND"] = "noninteractive";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            return (-1, $"{file} timed out after {timeout}");
        }

        return (process.ExitCode, stdout.Result + stderr.Result);
    }
}
