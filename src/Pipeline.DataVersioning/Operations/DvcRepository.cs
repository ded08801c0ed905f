using Pipeline.DataVersioning.Cache;
using Pipeline.DataVersioning.Config;
using Pipeline.DataVersioning.Files;

namespace Pipeline.DataVersioning.Operations;

/// <summary>A DVC repository: the folder holding <c>.dvc/</c>, its config, cache, ignore rules and .dvc files.</summary>
public sealed class DvcRepository
{
    // DVC's only built-in ignores; anything else (bin/, node_modules/) is skipped only when .dvcignore says so.
    private static readonly HashSet<string> SkippedFolders = [".dvc", ".git", ".hg"];

    private DvcRepository(string root, Func<string, string?>? environment)
    {
        Root = root;
        DvcDirectory = Path.Combine(root, ".dvc");
        Config = DvcConfig.Load(DvcDirectory, environment);
        var cacheDir = Config.Get("cache", "dir") is { } dir
            ? Path.GetFullPath(Path.Combine(DvcDirectory, dir))
            : Path.Combine(DvcDirectory, "cache");
        Cache = new ObjectCache(cacheDir);
        Ignore = DvcIgnore.Load(root);
    }

    public string Root { get; }

    public string DvcDirectory { get; }

    public DvcConfig Config { get; }

    public ObjectCache Cache { get; }

    public DvcIgnore Ignore { get; }

    /// <summary>True when git manages the folder; only then does <c>add</c> write .gitignore entries, as DVC does.</summary>
    public bool IsGitWorkTree
    {
        get
        {
            for (var dir = new DirectoryInfo(Root); dir is not null; dir = dir.Parent)
            {
                if (
                    Directory.Exists(Path.Combine(dir.FullName, ".git"))
                    || File.Exists(Path.Combine(dir.FullName, ".git"))
                )
                {
                    return true;
                }
            }

            return false;
        }
    }

    /// <summary>The repository containing <paramref name="directory"/>, searching upwards; null when there is none.</summary>
    /// <param name="environment">Where DVC_GLOBAL_CONFIG_DIR, HOME and the like are read; the process environment by default.</param>
    public static DvcRepository? TryOpen(string directory, Func<string, string?>? environment = null)
    {
        for (var dir = new DirectoryInfo(Path.GetFullPath(directory)); dir is not null; dir = dir.Parent)
        {
            if (Directory.Exists(Path.Combine(dir.FullName, ".dvc")))
            {
                return new DvcRepository(dir.FullName, environment);
            }
        }

        return null;
    }

    public static DvcRepository Open(string directory, Func<string, string?>? environment = null) =>
        TryOpen(directory, environment)
        ?? throw new DvcException(
            $"{Path.GetFullPath(directory)} is not in a DVC repository (no .dvc folder here or above)."
        );

    /// <summary>Makes a new repository the way <c>dvc init</c> does.</summary>
    public static DvcRepository Init(string directory)
    {
        var root = Path.GetFullPath(directory);
        var dvc = Path.Combine(root, ".dvc");
        Directory.CreateDirectory(dvc);
        WriteIfMissing(Path.Combine(dvc, "config"), string.Empty);
        WriteIfMissing(Path.Combine(dvc, ".gitignore"), "/config.local\n/tmp\n/cache\n");
        WriteIfMissing(
            Path.Combine(root, DvcIgnore.FileName),
            "# Add patterns of files dvc should ignore, which could improve\n# the performance. Learn more at\n# https://dvc.org/doc/user-guide/dvcignore\n"
        );
        return new DvcRepository(root, environment: null);
    }

    public IReadOnlyList<DvcFile> LoadDvcFiles() =>
        FindFiles(Root, name => name.EndsWith(DvcFile.Extension, StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(DvcFile.Load)
            .ToList();

    /// <summary>Every output DVC would pull: those of .dvc files, then those of pipeline stages in dvc.lock files.</summary>
    public IReadOnlyList<DvcOutput> LoadOutputs() =>
        [
            .. LoadDvcFiles().SelectMany(f => f.Outs),
            .. FindFiles(Root, name => name == DvcLockFile.FileName)
                .Order(StringComparer.Ordinal)
                .SelectMany(DvcLockFile.LoadOutputs),
        ];

    /// <summary>
    /// Every output, or those a target names: an output path, a .dvc file, or a dvc.lock stage's name, relative to
    /// the root or absolute. A target that matches nothing is an error naming it.
    /// </summary>
    public IReadOnlyList<DvcOutput> SelectOutputs(IReadOnlyCollection<string>? targets)
    {
        var outputs = LoadOutputs();
        if (targets is null || targets.Count == 0)
        {
            return outputs;
        }

        var selected = new List<DvcOutput>();
        foreach (var target in targets)
        {
            var full = Path.GetFullPath(Path.Combine(Root, target)).TrimEnd(Path.DirectorySeparatorChar);
            var matches = outputs
                .Where(o =>
                    o.WorkspacePath == full
                    || (o.Stage is null && (o.Source == full || o.Source == full + DvcFile.Extension))
                    || o.Stage == target
                )
                .ToList();
            if (matches.Count == 0)
            {
                throw new DvcException($"--dataset: '{target}' is not tracked by any .dvc file in {Root}.");
            }

            selected.AddRange(matches.Except(selected));
        }

        return selected;
    }

    public string RelativePath(string fullPath) => PosixPath.Relative(Root, fullPath);

    private IEnumerable<string> FindFiles(string directory, Func<string, bool> wanted)
    {
        foreach (var file in Directory.EnumerateFiles(directory))
        {
            if (wanted(Path.GetFileName(file)) && !Ignore.IsIgnored(RelativePath(file), isDirectory: false))
            {
                yield return file;
            }
        }

        foreach (var child in Directory.EnumerateDirectories(directory))
        {
            var name = Path.GetFileName(child);
            if (SkippedFolders.Contains(name) || Ignore.IsIgnored(RelativePath(child), isDirectory: true))
            {
                continue;
            }

            foreach (var file in FindFiles(child, wanted))
            {
                yield return file;
            }
        }
    }

    private static void WriteIfMissing(string path, string contents)
    {
        if (!File.Exists(path))
        {
            File.WriteAllText(path, contents);
        }
    }
}
