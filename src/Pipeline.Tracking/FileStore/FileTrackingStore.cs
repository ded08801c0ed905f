using System.Globalization;
using System.Security.Cryptography;
using Pipeline.Core.IO;
using Pipeline.Tracking.Search;

namespace Pipeline.Tracking.FileStore;

/// <summary>
/// MLflow's FileStore on disk (<c>mlruns/</c>), readable by <c>mlflow ui --backend-store-uri ./mlruns</c>: experiments,
/// runs (meta.yaml, metrics, params, tags, artifacts) and the model registry (<c>models/</c>). The embedded default
/// when no server is configured.
/// </summary>
public sealed partial class FileTrackingStore : ITrackingStore
{
    private const string DefaultExperimentId = "0";
    private readonly object _gate = new();

    public FileTrackingStore(string root)
    {
        Root = Path.GetFullPath(root);
    }

    public string Root { get; }

    public string Location => Root;

    public Task<Experiment?> GetExperimentByNameAsync(string name, CancellationToken cancellationToken = default) =>
        Task.FromResult(Experiments().FirstOrDefault(e => e.Name == name && e.LifecycleStage == "active"));

    public Task<string> CreateExperimentAsync(
        string name,
        IReadOnlyDictionary<string, string>? tags = null,
        CancellationToken cancellationToken = default
    )
    {
        lock (_gate)
        {
            EnsureDefaultExperiment();
            if (Experiments().Any(e => e.Name == name))
            {
                throw new TrackingException("RESOURCE_ALREADY_EXISTS", 400, $"Experiment '{name}' already exists.");
            }

            string id;
            do
            {
                id =
                    RandomNumberGenerator.GetInt32(100_000_000, 999_999_999).ToString(CultureInfo.InvariantCulture)
                    + RandomNumberGenerator.GetInt32(100_000_000, 999_999_999).ToString(CultureInfo.InvariantCulture);
            } while (Directory.Exists(Path.Combine(Root, id)));

            WriteExperiment(id, name);
            foreach (var (key, value) in tags ?? new Dictionary<string, string>())
            {
                WriteValue(Path.Combine(Root, id, "tags"), key, value);
            }

            return Task.FromResult(id);
        }
    }

    public Task<Experiment> GetExperimentAsync(string experimentId, CancellationToken cancellationToken = default) =>
        Task.FromResult(
            Experiments().FirstOrDefault(e => e.Id == experimentId)
                ?? throw new TrackingException(
                    "RESOURCE_DOES_NOT_EXIST",
                    404,
                    $"No Experiment with id={experimentId} exists"
                )
        );

    public Task<RunInfo> CreateRunAsync(
        string experimentId,
        string runName,
        long startTime,
        IReadOnlyDictionary<string, string> tags,
        CancellationToken cancellationToken = default
    ) =>
        CreateRunAsync(
            experimentId,
            runName,
            startTime,
            tags,
            tags.GetValueOrDefault("mlflow.user"),
            cancellationToken
        );

    /// <summary>As MLflow's create_run: <paramref name="userId"/> is the run's user, whatever the tags say.</summary>
    public Task<RunInfo> CreateRunAsync(
        string experimentId,
        string runName,
        long startTime,
        IReadOnlyDictionary<string, string> tags,
        string? userId,
        CancellationToken cancellationToken = default
    )
    {
        var experiment = Path.Combine(Root, experimentId);
        if (!File.Exists(Path.Combine(experiment, "meta.yaml")))
        {
            throw new TrackingException("RESOURCE_DOES_NOT_EXIST", 404, $"No Experiment with id={experimentId} exists");
        }

        var runId = Guid.NewGuid().ToString("N");
        var info = new RunInfo(
            runId,
            experimentId,
            runName,
            RunStatus.Running,
            startTime,
            null,
            ToUri(Path.Combine(experiment, runId, "artifacts")),
            "active",
            userId ?? string.Empty
        );
        Directory.CreateDirectory(Path.Combine(experiment, runId, "artifacts"));
        WriteRunMeta(info, deletedTime: null);
        foreach (var (key, value) in tags.Append(new("mlflow.runName", runName)))
        {
            WriteValue(Path.Combine(experiment, runId, "tags"), key, value);
        }

        return Task.FromResult(info);
    }

    public Task LogBatchAsync(string runId, RunBatch batch, CancellationToken cancellationToken = default)
    {
        var folder = RunFolder(runId);
        lock (_gate)
        {
            foreach (var (key, value) in batch.Params)
            {
                var path = KeyPath(Path.Combine(folder, "params"), key);
                if (File.Exists(path) && File.ReadAllText(path) is var existing && existing != value)
                {
                    throw new TrackingException(
                        "INVALID_PARAMETER_VALUE",
                        400,
                        $"Changing param values is not allowed. Param with key='{key}' was already logged with value='{existing}' for run ID='{runId}'. Attempted logging new value '{value}'."
                    );
                }

                WriteValue(Path.Combine(folder, "params"), key, value);
            }

            foreach (var (key, value) in batch.Tags)
            {
                WriteValue(Path.Combine(folder, "tags"), key, value);
            }

            foreach (var group in batch.Metrics.GroupBy(m => m.Key))
            {
                var path = KeyPath(Path.Combine(folder, "metrics"), group.Key);
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                File.AppendAllText(
                    path,
                    string.Concat(group.Select(m => $"{m.Timestamp} {PythonFloat(m.Value)} {m.Step}\n"))
                );
            }
        }

        return Task.CompletedTask;
    }

    public async Task UpdateRunAsync(
        string runId,
        RunStatus status,
        long? endTime,
        CancellationToken cancellationToken = default
    )
    {
        var run = await GetRunAsync(runId, cancellationToken);
        var meta = PyYaml.Load(Path.Combine(RunFolder(runId), "meta.yaml"));
        WriteRunMeta(
            run.Info with
            {
                Status = status,
                EndTime = endTime,
            },
            meta.GetValueOrDefault("deleted_time") as string is { } d
                ? long.Parse(d, CultureInfo.InvariantCulture)
                : null
        );
    }

    public Task<Run> GetRunAsync(string runId, CancellationToken cancellationToken = default) =>
        Task.FromResult(ReadRun(RunFolder(runId)));

    public Task<RunsPage> SearchRunsAsync(
        IReadOnlyList<string> experimentIds,
        string? filter,
        IReadOnlyList<string>? orderBy,
        int maxResults,
        string? pageToken,
        CancellationToken cancellationToken = default
    )
    {
        maxResults = maxResults == 0 ? 1000 : maxResults;
        if (maxResults is < 1 or > 50_000)
        {
            throw new TrackingException(
                "INVALID_PARAMETER_VALUE",
                400,
                $"Invalid value {maxResults} for parameter 'max_results' supplied."
            );
        }

        var predicate = RunFilter.Parse(filter);
        var offset = PageToken.Decode(pageToken);
        var runs = experimentIds
            .SelectMany(id =>
                Directory.Exists(Path.Combine(Root, id)) ? Directory.EnumerateDirectories(Path.Combine(Root, id)) : []
            )
            .Where(dir => File.Exists(Path.Combine(dir, "meta.yaml")))
            .Select(ReadRun)
            .Where(r => r.Info.LifecycleStage == "active" && predicate.Matches(r));
        var page = RunOrder.Apply(runs, orderBy).Skip(offset).Take(maxResults).ToList();
        // Like the server: a full page always carries a token, even when nothing follows.
        return Task.FromResult(
            new RunsPage(page, page.Count == maxResults ? PageToken.Encode(offset + maxResults) : null)
        );
    }

    public Task<IReadOnlyList<Metric>> GetMetricHistoryAsync(
        string runId,
        string key,
        CancellationToken cancellationToken = default
    )
    {
        var path = KeyPath(Path.Combine(RunFolder(runId), "metrics"), key);
        IReadOnlyList<Metric> history = File.Exists(path)
            ? [.. ReadMetric(key, path).OrderBy(m => m.Step).ThenBy(m => m.Timestamp)]
            : [];
        return Task.FromResult(history);
    }

    public Task UploadArtifactAsync(
        RunInfo run,
        string artifactPath,
        string localFile,
        CancellationToken cancellationToken = default
    )
    {
        var target = ArtifactPath(run, artifactPath);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        var temp = AtomicFile.TempPathFor(target);
        File.Copy(localFile, temp);
        File.Move(temp, target, overwrite: true);
        return Task.CompletedTask;
    }

    public Task DownloadArtifactAsync(
        RunInfo run,
        string artifactPath,
        string localFile,
        CancellationToken cancellationToken = default
    )
    {
        var source = ArtifactPath(run, artifactPath);
        if (!File.Exists(source))
        {
            throw new TrackingException(
                "RESOURCE_DOES_NOT_EXIST",
                404,
                $"artifact '{artifactPath}' of run {run.RunId} does not exist ({source})"
            );
        }

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(localFile))!);
        File.Copy(source, localFile, overwrite: true);
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<ArtifactFile>> ListArtifactsAsync(
        RunInfo run,
        string? artifactPath,
        CancellationToken cancellationToken = default
    )
    {
        var folder = ArtifactPath(run, artifactPath ?? string.Empty);
        IReadOnlyList<ArtifactFile> files = !Directory.Exists(folder)
            ? []
            : Directory
                .EnumerateFileSystemEntries(folder)
                .Order(StringComparer.Ordinal)
                .Select(entry => new ArtifactFile(
                    (string.IsNullOrEmpty(artifactPath) ? string.Empty : artifactPath.Trim('/') + "/")
                        + Path.GetFileName(entry),
                    Directory.Exists(entry),
                    File.Exists(entry) ? new FileInfo(entry).Length : null
                ))
                .ToList();
        return Task.FromResult(files);
    }

    /// <summary>
    /// MLflow FileStore's layout for inputs: each dataset once per experiment under
    /// <c>datasets/md5(name+digest)/meta.yaml</c>, and per run <c>inputs/md5(dataset id+run id)/meta.yaml</c> linking it.
    /// </summary>
    public Task LogInputsAsync(
        string runId,
        IReadOnlyList<DatasetInput> inputs,
        CancellationToken cancellationToken = default
    )
    {
        var run = RunFolder(runId);
        var experiment = Path.GetDirectoryName(run)!;
        foreach (var input in inputs)
        {
            var datasetId = Md5Hex(input.Name + input.Digest);
            var datasetMeta = Path.Combine(experiment, "datasets", datasetId, "meta.yaml");
            if (!File.Exists(datasetMeta))
            {
                AtomicFile.WriteAllText(
                    datasetMeta,
                    PyYaml.Dump(
                        new Dictionary<string, object?>
                        {
                            ["digest"] = input.Digest,
                            ["name"] = input.Name,
                            ["profile"] = input.Profile,
                            ["schema"] = input.Schema,
                            ["source"] = input.Source,
                            ["source_type"] = input.SourceType,
                        }
                    )
                );
            }

            var inputMeta = Path.Combine(run, "inputs", Md5Hex(datasetId + runId), "meta.yaml");
            if (!File.Exists(inputMeta))
            {
                AtomicFile.WriteAllText(
                    inputMeta,
                    PyYaml.Dump(
                        new Dictionary<string, object?>
                        {
                            ["destination_id"] = runId,
                            ["destination_type"] = "RUN",
                            ["source_id"] = datasetId,
                            ["source_type"] = "DATASET",
                            ["tags"] = input.Tags,
                        }
                    )
                );
            }
        }

        return Task.CompletedTask;
    }

    /// <summary>The datasets a run's <c>inputs/</c> link to, as MLflow reads them; links to missing datasets are skipped.</summary>
    public IReadOnlyList<DatasetInput> ReadInputs(string runId)
    {
        var run = RunFolder(runId);
        var inputs = Path.Combine(run, "inputs");
        var datasets = Path.Combine(Path.GetDirectoryName(run)!, "datasets");
        if (!Directory.Exists(inputs))
        {
            return [];
        }

        var found = new List<DatasetInput>();
        foreach (
            var link in Directory
                .EnumerateFiles(inputs, "meta.yaml", SearchOption.AllDirectories)
                .Order(StringComparer.Ordinal)
        )
        {
            var meta = PyYaml.Load(link);
            var datasetMeta = Path.Combine(datasets, meta.GetValueOrDefault("source_id") as string ?? "-", "meta.yaml");
            if (!File.Exists(datasetMeta))
            {
                continue;
            }

            var dataset = PyYaml.Load(datasetMeta);
            string? Text(string key) => dataset.GetValueOrDefault(key) as string;
            found.Add(
                new DatasetInput(
                    Text("name") ?? string.Empty,
                    Text("digest") ?? string.Empty,
                    Text("source_type") ?? string.Empty,
                    Text("source") ?? string.Empty,
                    Text("schema"),
                    Text("profile"),
                    meta.GetValueOrDefault("tags") is IReadOnlyDictionary<string, object?> tags
                        ? tags.ToDictionary(t => t.Key, t => t.Value?.ToString() ?? string.Empty)
                        : new Dictionary<string, string>()
                )
            );
        }

        return found;
    }

    // MLflow names datasets and inputs by the md5 of their text: an identifier to match, not a security measure.
    private static string Md5Hex(string text) => FileHash.Md5(System.Text.Encoding.UTF8.GetBytes(text));

    /// <summary>The run's artifact folder inside this tree (the recorded file: URIs may point at another machine).</summary>
    public string ArtifactFolder(RunInfo run) => Path.Combine(Root, run.ExperimentId, run.RunId, "artifacts");

    /// <summary>All runs of an experiment, active and deleted, for tools that copy runs (SyncRuns).</summary>
    public IReadOnlyList<Run> AllRuns(string experimentId) =>
        Directory.Exists(Path.Combine(Root, experimentId))
            ? Directory
                .EnumerateDirectories(Path.Combine(Root, experimentId))
                .Where(d => File.Exists(Path.Combine(d, "meta.yaml")))
                .Select(ReadRun)
                .ToList()
            : [];

    public IReadOnlyList<Experiment> Experiments() =>
        !Directory.Exists(Root)
            ? []
            : Directory
                .EnumerateDirectories(Root)
                .Where(d => File.Exists(Path.Combine(d, "meta.yaml")) && Path.GetFileName(d).All(char.IsAsciiDigit))
                .Select(d =>
                {
                    var meta = PyYaml.Load(Path.Combine(d, "meta.yaml"));
                    return new Experiment(
                        (string)meta["experiment_id"]!,
                        (string)meta["name"]!,
                        (string?)meta.GetValueOrDefault("artifact_location") ?? string.Empty,
                        (string?)meta.GetValueOrDefault("lifecycle_stage") ?? "active",
                        ReadValues(Path.Combine(d, "tags"))
                    );
                })
                .ToList();

    private Run ReadRun(string folder)
    {
        var meta = PyYaml.Load(Path.Combine(folder, "meta.yaml"));
        string Get(string key) => meta.GetValueOrDefault(key) as string ?? string.Empty;
        long? Long(string key) =>
            meta.GetValueOrDefault(key) is string s && long.TryParse(s, CultureInfo.InvariantCulture, out var v)
                ? v
                : null;
        var info = new RunInfo(
            Get("run_id") is { Length: > 0 } id ? id : Get("run_uuid"),
            Get("experiment_id"),
            Get("run_name"),
            (RunStatus)(int)(Long("status") ?? 1),
            Long("start_time") ?? 0,
            Long("end_time"),
            Get("artifact_uri"),
            Get("lifecycle_stage"),
            Get("user_id")
        );
        var metricsFolder = Path.Combine(folder, "metrics");
        var metrics = Directory.Exists(metricsFolder)
            ? Directory
                .EnumerateFiles(metricsFolder, "*", SearchOption.AllDirectories)
                .Select(f => (Key: Path.GetRelativePath(metricsFolder, f).Replace('\\', '/'), File: f))
                .ToDictionary(
                    m => m.Key,
                    m => ReadMetric(m.Key, m.File).OrderBy(p => (p.Step, p.Timestamp, p.Value)).Last()
                )
            : [];
        return new Run(
            info,
            metrics,
            ReadValues(Path.Combine(folder, "params")),
            ReadValues(Path.Combine(folder, "tags"))
        );
    }

    private static IEnumerable<Metric> ReadMetric(string key, string path) =>
        File.ReadLines(path)
            .Where(l => l.Length > 0)
            .Select(line =>
            {
                var parts = line.Split(' ');
                return new Metric(
                    key,
                    ParsePythonFloat(parts[1]),
                    long.Parse(parts[0], CultureInfo.InvariantCulture),
                    parts.Length > 2 ? long.Parse(parts[2], CultureInfo.InvariantCulture) : 0
                );
            });

    private static Dictionary<string, string> ReadValues(string folder) =>
        Directory.Exists(folder)
            ? Directory
                .EnumerateFiles(folder, "*", SearchOption.AllDirectories)
                .Where(f => !Path.GetFileName(f).StartsWith('.'))
                .ToDictionary(f => Path.GetRelativePath(folder, f).Replace('\\', '/'), File.ReadAllText)
            : [];

    private void WriteExperiment(string id, string name)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        AtomicFile.WriteAllText(
            Path.Combine(Root, id, "meta.yaml"),
            PyYaml.Dump(
                new Dictionary<string, object?>
                {
                    ["artifact_location"] = ToUri(Path.Combine(Root, id)),
                    ["creation_time"] = now,
                    ["experiment_id"] = id,
                    ["last_update_time"] = now,
                    ["lifecycle_stage"] = "active",
                    ["name"] = name,
                }
            )
        );
    }

    private void EnsureDefaultExperiment()
    {
        if (!File.Exists(Path.Combine(Root, DefaultExperimentId, "meta.yaml")))
        {
            WriteExperiment(DefaultExperimentId, "Default");
        }

        Directory.CreateDirectory(Path.Combine(Root, ".trash"));
    }

    private void WriteRunMeta(RunInfo info, long? deletedTime)
    {
        var values = new Dictionary<string, object?>
        {
            ["artifact_uri"] = info.ArtifactUri,
            ["end_time"] = info.EndTime,
            ["entry_point_name"] = string.Empty,
            ["experiment_id"] = info.ExperimentId,
            ["lifecycle_stage"] = info.LifecycleStage,
            ["run_id"] = info.RunId,
            ["run_name"] = info.RunName,
            ["run_uuid"] = info.RunId,
            ["source_name"] = string.Empty,
            ["source_type"] = 4,
            ["source_version"] = string.Empty,
            ["start_time"] = info.StartTime,
            ["status"] = (int)info.Status,
            ["tags"] = Array.Empty<string>(),
            ["user_id"] = info.UserId,
        };
        if (deletedTime is { } deleted)
        {
            values["deleted_time"] = deleted;
        }

        AtomicFile.WriteAllText(Path.Combine(Root, info.ExperimentId, info.RunId, "meta.yaml"), PyYaml.Dump(values));
    }

    private string RunFolder(string runId)
    {
        if (!RunIdPattern().IsMatch(runId))
        {
            throw new TrackingException("INVALID_PARAMETER_VALUE", 400, $"Invalid run ID: '{runId}'");
        }

        return Directory.Exists(Root)
            ? Directory
                .EnumerateDirectories(Root)
                .Select(e => Path.Combine(e, runId))
                .FirstOrDefault(d => File.Exists(Path.Combine(d, "meta.yaml")))
                ?? throw new TrackingException("RESOURCE_DOES_NOT_EXIST", 404, $"Run '{runId}' not found")
            : throw new TrackingException("RESOURCE_DOES_NOT_EXIST", 404, $"Run '{runId}' not found");
    }

    private string ArtifactPath(RunInfo run, string artifactPath)
    {
        if (artifactPath.Split('/').Contains(".."))
        {
            throw new TrackingException(
                "INVALID_PARAMETER_VALUE",
                400,
                $"artifact path '{artifactPath}' may not contain '..'."
            );
        }

        return Path.Combine(ArtifactFolder(run), artifactPath.Trim('/').Replace('/', Path.DirectorySeparatorChar));
    }

    /// <summary>A key with '/' is a nested file, as MLflow stores it.</summary>
    private static string KeyPath(string folder, string key)
    {
        if (key.Length == 0 || key.Split('/').Any(p => p is "" or "." or "..") || key.Length > 250)
        {
            throw new TrackingException("INVALID_PARAMETER_VALUE", 400, $"Invalid key '{key}'.");
        }

        return Path.Combine(folder, key.Replace('/', Path.DirectorySeparatorChar));
    }

    private static void WriteValue(string folder, string key, string value) =>
        AtomicFile.WriteAllText(KeyPath(folder, key), value);

    private static string ToUri(string path) => new Uri(path).AbsoluteUri;

    /// <summary>Python's repr of a float: shortest round-trip digits, always with a decimal point, nan/inf spelled Python's way.</summary>
    internal static string PythonFloat(double value)
    {
        if (double.IsNaN(value))
        {
            return "nan";
        }

        if (double.IsInfinity(value))
        {
            return value > 0 ? "inf" : "-inf";
        }

        var text = value.ToString("R", CultureInfo.InvariantCulture);
        if (text.Contains('E', StringComparison.Ordinal))
        {
            var parts = text.Split('E');
            var exponent = int.Parse(parts[1], CultureInfo.InvariantCulture);
            if (exponent is >= -4 and < 16)
            {
                text = value.ToString("0.#################", CultureInfo.InvariantCulture);
            }
            else
            {
                return parts[0]
                    + "e"
                    + (exponent < 0 ? "-" : "+")
                    + Math.Abs(exponent).ToString("00", CultureInfo.InvariantCulture);
            }
        }

        return text.Contains('.', StringComparison.Ordinal) ? text : text + ".0";
    }

    private static double ParsePythonFloat(string text) =>
        text switch
        {
            "nan" or "NaN" => double.NaN,
            "inf" or "Infinity" => double.PositiveInfinity,
            "-inf" or "-Infinity" => double.NegativeInfinity,
            _ => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture),
        };

    [System.Text.RegularExpressions.GeneratedRegex(@"^[a-zA-Z0-9][\w\-]{0,255}$")]
    private static partial System.Text.RegularExpressions.Regex RunIdPattern();
}
