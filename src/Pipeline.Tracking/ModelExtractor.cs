using System.Text.Json;
using Pipeline.Core.IO;

namespace Pipeline.Tracking;

/// <summary>
/// Which model to ship: a run id, a registry reference (<c>name@alias</c> or <c>name/version</c>), or by default the
/// newest finished run of the experiment that passed the gate. <paramref name="Flavor"/>, when given, is the MLflow
/// flavor the model must carry (its trainer's): anything else is refused.
/// </summary>
public sealed record ModelReference(
    string Experiment,
    string? RunId,
    string? Model,
    string? RegisteredModel = null,
    string? Flavor = null
);

public sealed record ExtractedModel(
    string Directory,
    string RunId,
    string? RegisteredModel,
    string? Version,
    long Bytes,
    IReadOnlyDictionary<string, object?> Lineage
);

/// <summary>
/// Copies exactly one model (its <c>model/</c> artifacts, never a whole mlruns/) into a folder with a
/// <c>lineage.json</c> that ties it to its run, version, commit, data and metrics. The folder is replaced whole.
/// </summary>
public static class ModelExtractor
{
    public const string GateTag = "pipeline.gate";
    public const string LineageFile = "lineage.json";
    public const string ModelArtifactPath = "model";

    /// <summary>One string field of an extracted model's lineage.json (<c>run_id</c>, <c>version</c>, …); null when the file or field is absent.</summary>
    public static string? ReadLineage(string modelDirectory, string field)
    {
        var path = Path.Combine(modelDirectory, LineageFile);
        if (!File.Exists(path))
        {
            return null;
        }

        using var json = JsonDocument.Parse(File.ReadAllText(path));
        return json.RootElement.TryGetProperty(field, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
    }

    /// <summary>
    /// After SyncRuns: an extracted model that came from a local run during an outage is re-pointed at the server run
    /// and version it now is (lineage.json and the MLmodel's run_id), so Promote and the image labels name what the
    /// server knows. True when the folder was from that run.
    /// </summary>
    public static bool Relink(string modelDirectory, SyncedRun synced, string location)
    {
        var path = Path.Combine(modelDirectory, LineageFile);
        if (ReadLineage(modelDirectory, "run_id") != synced.LocalRunId)
        {
            return false;
        }

        var lineage = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        lineage["run_id"] = synced.ServerRunId;
        lineage["tracking"] = location;
        var name = lineage["registered_model"]?.ToString();
        var version = lineage["version"]?.ToString();
        if (synced.Versions.FirstOrDefault(v => v.Name == name && v.LocalVersion == version) is { } moved)
        {
            lineage["version"] = moved.ServerVersion;
        }

        JsonFile.Write(path, lineage);
        var mlmodel = Path.Combine(modelDirectory, MlModelFile.FileName);
        if (File.Exists(mlmodel))
        {
            AtomicFile.WriteAllText(
                mlmodel,
                RunSync.RewriteRunId(File.ReadAllText(mlmodel), synced.LocalRunId, synced.ServerRunId)
            );
        }

        return true;
    }

    public static async Task<ExtractedModel> ExtractAsync(
        ITrackingStore store,
        ModelReference reference,
        string outputDirectory,
        CancellationToken cancellationToken = default
    )
    {
        var (run, name, version) = await ResolveAsync(store, reference, cancellationToken);
        var output = Path.GetFullPath(outputDirectory);
        var staging = output + $".staging-{Guid.NewGuid():N}";
        try
        {
            var files = await ListRecursiveAsync(store, run.Info, ModelArtifactPath, cancellationToken);
            if (files.Count == 0)
            {
                throw new TrackingException(
                    "RESOURCE_DOES_NOT_EXIST",
                    404,
                    $"run {run.Info.RunId} has no '{ModelArtifactPath}' artifacts to extract."
                );
            }

            if (reference.Flavor is { } flavor)
            {
                await RequireFlavorAsync(store, run.Info, files, flavor, staging, output, cancellationToken);
            }

            foreach (var file in files)
            {
                var local = Path.Combine(
                    staging,
                    file[(ModelArtifactPath.Length + 1)..].Replace('/', Path.DirectorySeparatorChar)
                );
                if (!File.Exists(local)) // the flavor check has already fetched the MLmodel
                {
                    await store.DownloadArtifactAsync(run.Info, file, local, cancellationToken);
                }
            }

            var lineage = new Dictionary<string, object?>
            {
                ["run_id"] = run.Info.RunId,
                ["run_name"] = run.Info.RunName,
                ["experiment_id"] = run.Info.ExperimentId,
                ["registered_model"] = name,
                ["version"] = version,
                ["commit"] = run.Tags.GetValueOrDefault("mlflow.source.git.commit"),
                ["branch"] = run.Tags.GetValueOrDefault("mlflow.source.git.branch"),
                ["build"] = run.Tags.GetValueOrDefault("pipeline.build.number"),
                ["dataset_path"] = run.Tags.GetValueOrDefault("pipeline.dataset.path"),
                ["dataset_md5"] = run.Tags.GetValueOrDefault("pipeline.dataset.md5"),
                ["config_hash"] = run.Tags.GetValueOrDefault("pipeline.config.hash"),
                ["image_tag"] = run.Tags.GetValueOrDefault("pipeline.image.tag"),
                ["metrics"] = run
                    .Metrics.OrderBy(m => m.Key, StringComparer.Ordinal)
                    .ToDictionary(m => m.Key, m => m.Value.Value),
                ["tracking"] = store.Location,
                ["extracted_at"] = DateTimeOffset.UtcNow.ToString("O"),
            };
            JsonFile.Write(Path.Combine(staging, LineageFile), lineage);
            if (Directory.Exists(output))
            {
                Directory.Delete(output, recursive: true);
            }

            Directory.Move(staging, output);
            var bytes = Directory
                .EnumerateFiles(output, "*", SearchOption.AllDirectories)
                .Sum(f => new FileInfo(f).Length);
            return new ExtractedModel(output, run.Info.RunId, name, version, bytes, lineage);
        }
        finally
        {
            if (Directory.Exists(staging))
            {
                Directory.Delete(staging, recursive: true);
            }
        }
    }

    /// <summary>Reads the model's MLmodel first and refuses it, before anything is written, unless it has the flavor.</summary>
    private static async Task RequireFlavorAsync(
        ITrackingStore store,
        RunInfo run,
        IReadOnlyList<string> files,
        string flavor,
        string staging,
        string output,
        CancellationToken cancellationToken
    )
    {
        var mlmodel = $"{ModelArtifactPath}/{MlModelFile.FileName}";
        IReadOnlyList<string> flavors = [];
        if (files.Contains(mlmodel))
        {
            var local = Path.Combine(staging, MlModelFile.FileName);
            await store.DownloadArtifactAsync(run, mlmodel, local, cancellationToken);
            flavors = MlModelFile.ReadFlavors(local);
        }

        if (!flavors.Contains(flavor))
        {
            throw new TrackingException(
                "INVALID_PARAMETER_VALUE",
                400,
                $"run {run.RunId}'s model is not a '{flavor}' model this pipeline can serve: its MLmodel has "
                    + (flavors.Count == 0 ? "no flavors" : $"the flavors {string.Join(", ", flavors)}")
                    + $". Nothing was extracted; {output} is as it was."
            );
        }
    }

    private static async Task<(Run Run, string? Name, string? Version)> ResolveAsync(
        ITrackingStore store,
        ModelReference reference,
        CancellationToken cancellationToken
    )
    {
        if (reference.RunId is { Length: > 0 } runId)
        {
            var run = await store.GetRunAsync(runId, cancellationToken);
            var registered =
                reference.RegisteredModel is { } name
                && await store.GetRegisteredModelAsync(name, cancellationToken) is not null
                    ? (await store.SearchModelVersionsAsync(name, cancellationToken)).FirstOrDefault(v =>
                        v.RunId == runId
                    )
                    : null;
            return (run, registered?.Name, registered?.Version);
        }

        if (reference.Model is { Length: > 0 } model)
        {
            var at = model.IndexOf('@', StringComparison.Ordinal);
            var slash = model.LastIndexOf('/');
            var version =
                at > 0 ? await store.GetModelVersionByAliasAsync(model[..at], model[(at + 1)..], cancellationToken)
                : slash > 0 ? await store.GetModelVersionAsync(model[..slash], model[(slash + 1)..], cancellationToken)
                : throw new TrackingException(
                    "INVALID_PARAMETER_VALUE",
                    400,
                    $"--model: '{model}' is not name@alias or name/version."
                );
            var runId2 =
                version.RunId
                ?? throw new TrackingException(
                    "INVALID_PARAMETER_VALUE",
                    400,
                    $"{model}: version {version.Version} has no run."
                );
            return (await store.GetRunAsync(runId2, cancellationToken), version.Name, version.Version);
        }

        var experiment =
            await store.GetExperimentByNameAsync(reference.Experiment, cancellationToken)
            ?? throw new TrackingException(
                "RESOURCE_DOES_NOT_EXIST",
                404,
                $"experiment '{reference.Experiment}' does not exist in {store.Location}; train first."
            );
        var page = await store.SearchRunsAsync(
            [experiment.Id],
            $"attributes.status = 'FINISHED' and tags.`{GateTag}` = 'passed'",
            ["attributes.start_time DESC"],
            1,
            null,
            cancellationToken
        );
        return page.Runs.Count == 1
            ? await ResolveAsync(store, reference with { RunId = page.Runs[0].Info.RunId }, cancellationToken)
            : throw new TrackingException(
                "RESOURCE_DOES_NOT_EXIST",
                404,
                $"experiment '{reference.Experiment}' has no finished run that passed the quality gate; train first or name one with --run-id."
            );
    }

    private static async Task<List<string>> ListRecursiveAsync(
        ITrackingStore store,
        RunInfo run,
        string path,
        CancellationToken cancellationToken
    )
    {
        var files = new List<string>();
        foreach (var entry in await store.ListArtifactsAsync(run, path, cancellationToken))
        {
            if (entry.IsDirectory)
            {
                files.AddRange(await ListRecursiveAsync(store, run, entry.Path, cancellationToken));
            }
            else
            {
                files.Add(entry.Path);
            }
        }

        return files;
    }
}
