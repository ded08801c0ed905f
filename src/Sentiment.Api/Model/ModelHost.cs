using System.Text.Json;
using Microsoft.Extensions.Options;
using Sentiment.Model;

namespace Sentiment.Api.Model;

/// <summary>
/// Loads the model from the configured folder and reloads it when the files change (a file watcher, plus a
/// cheap periodic check for mounts that do not raise events). A new model is loaded and warmed before it is
/// swapped in with one reference write, so no request fails and requests already running finish on the old one.
/// A model that fails to load is logged and the current one stays.
/// </summary>
public sealed class ModelHost(IOptions<ApiOptions> options, ILogger<ModelHost> log, TimeProvider clock)
    : IHostedService,
        IDisposable
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(2);
    private readonly string _folder = Path.GetFullPath(options.Value.ModelPath);
    private readonly string? _seed = options.Value.SeedModelPath is { Length: > 0 } seed
        ? Path.GetFullPath(seed)
        : null;
    private readonly SemaphoreSlim _reloading = new(1, 1);
    private LoadedModel? _current;
    private string? _fingerprint;
    private FileSystemWatcher? _watcher;
    private Timer? _poll;

    public event Action<ModelInfo>? Reloaded;

    public LoadedModel? Current => Volatile.Read(ref _current);

    public bool IsReady => Current is not null;

    public string Folder => _folder;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        SeedIfEmpty();
        TryReload("start-up");
        var parent = Path.GetDirectoryName(_folder)!;
        if (Directory.Exists(parent))
        {
            _watcher = new FileSystemWatcher(parent) { IncludeSubdirectories = true, EnableRaisingEvents = true };
            _watcher.Changed += (_, e) => OnChange(e.FullPath);
            _watcher.Created += (_, e) => OnChange(e.FullPath);
            _watcher.Renamed += (_, e) => OnChange(e.FullPath);
        }

        _poll = new Timer(_ => TryReload("periodic check"), null, PollInterval, PollInterval);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose()
    {
        _watcher?.Dispose();
        _poll?.Dispose();
        _reloading.Dispose();
    }

    /// <summary>Loads the folder's model if it changed since the last load; returns true when a new model is now served.</summary>
    public bool TryReload(string reason)
    {
        if (!_reloading.Wait(0))
        {
            return false;
        }

        try
        {
            var fingerprint = Fingerprint();
            if (fingerprint is null || fingerprint == _fingerprint)
            {
                return false;
            }

            var loaded = Load();
            loaded.Predict("warm up");
            Volatile.Write(ref _current, loaded);
            _fingerprint = fingerprint;
            log.LogInformation(
                "{EventType}: serving model {ModelVersion} (run {RunId}) from {ModelPath} after {Reason}",
                "model-reload",
                loaded.Info.Label,
                loaded.Info.RunId,
                _folder,
                reason
            );
            Reloaded?.Invoke(loaded.Info);
            return true;
        }
        catch (Exception ex)
            when (ex
                    is IOException
                        or InvalidOperationException
                        or FormatException
                        or JsonException
                        or UnauthorizedAccessException
                        or ArgumentException
            )
        {
            log.LogError(
                ex,
                "{EventType}: could not load the model in {ModelPath}; still serving {ModelVersion}",
                "model-reload-failed",
                _folder,
                Current?.Info.Label ?? "nothing"
            );
            return false;
        }
        finally
        {
            _reloading.Release();
        }
    }

    /// <summary>Copies the seed model into an empty model folder: staged beside it, then one rename, so readers never see half a model.</summary>
    private void SeedIfEmpty()
    {
        if (
            _seed is null
            || File.Exists(Path.Combine(_folder, SentimentModelLoader.ModelFileName))
            || !File.Exists(Path.Combine(_seed, SentimentModelLoader.ModelFileName))
        )
        {
            return;
        }

        var staging = $"{_folder}.seed-{Guid.NewGuid():N}";
        try
        {
            Directory.CreateDirectory(staging);
            foreach (var file in Directory.EnumerateFiles(_seed, "*", SearchOption.AllDirectories))
            {
                var target = Path.Combine(staging, Path.GetRelativePath(_seed, file));
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.Copy(file, target);
            }

            if (Directory.Exists(_folder) && !Directory.EnumerateFileSystemEntries(_folder).Any())
            {
                Directory.Delete(_folder);
            }

            Directory.Move(staging, _folder);
            log.LogInformation(
                "{EventType}: {ModelPath} held no model; seeded it from {SeedModelPath}",
                "model-seeded",
                _folder,
                _seed
            );
        }
        catch (IOException ex)
        {
            // Another replica seeded first, or the folder is not ours to fill: serve whatever is there.
            log.LogWarning(
                "{EventType}: could not seed {ModelPath} from {SeedModelPath}: {Error}",
                "model-seed-skipped",
                _folder,
                _seed,
                ex.Message
            );
        }
        finally
        {
            if (Directory.Exists(staging))
            {
                Directory.Delete(staging, recursive: true);
            }
        }
    }

    private void OnChange(string path)
    {
        if (path.StartsWith(_folder, StringComparison.Ordinal))
        {
            // Let the writer finish (extraction replaces the folder in one rename, copies are not atomic).
            _ = Task.Delay(300).ContinueWith(_ => TryReload("file change"), TaskScheduler.Default);
        }
    }

    private LoadedModel Load()
    {
        var predictor = SentimentPredictor.Load(Path.Combine(_folder, SentimentModelLoader.ModelFileName));
        return new LoadedModel(predictor, ReadInfo());
    }

    private ModelInfo ReadInfo()
    {
        var lineagePath = Path.Combine(_folder, "lineage.json");
        if (!File.Exists(lineagePath))
        {
            return new ModelInfo(
                null,
                null,
                null,
                null,
                null,
                new Dictionary<string, double>(),
                clock.GetUtcNow(),
                _folder
            );
        }

        using var lineage = JsonDocument.Parse(File.ReadAllText(lineagePath));
        var root = lineage.RootElement;
        string? Get(string name) =>
            root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
                ? value.GetString()
                : null;
        var metrics =
            root.TryGetProperty("metrics", out var m) && m.ValueKind == JsonValueKind.Object
                ? m.EnumerateObject()
                    .Where(p => p.Value.ValueKind == JsonValueKind.Number)
                    .ToDictionary(p => p.Name, p => p.Value.GetDouble())
                : [];
        return new ModelInfo(
            Get("run_id"),
            Get("registered_model"),
            Get("version"),
            Get("commit"),
            Get("dataset_md5"),
            metrics,
            clock.GetUtcNow(),
            _folder
        );
    }

    private string? Fingerprint()
    {
        var zip = new FileInfo(Path.Combine(_folder, SentimentModelLoader.ModelFileName));
        if (!zip.Exists)
        {
            return null;
        }

        var lineage = new FileInfo(Path.Combine(_folder, "lineage.json"));
        return $"{zip.Length}:{zip.LastWriteTimeUtc.Ticks}:{(lineage.Exists ? lineage.LastWriteTimeUtc.Ticks : 0)}";
    }
}
