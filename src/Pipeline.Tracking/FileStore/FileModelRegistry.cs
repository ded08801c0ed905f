using System.Globalization;
using Pipeline.Core.IO;

namespace Pipeline.Tracking.FileStore;

/// <summary>The registry half of the FileStore: <c>mlruns/models/&lt;name&gt;/</c> with versions, tags and aliases.</summary>
public sealed partial class FileTrackingStore
{
    private string ModelsRoot => Path.Combine(Root, "models");

    /// <summary>Every registered model's name in this store, for tools that copy the registry (SyncRuns).</summary>
    public IReadOnlyList<string> RegisteredModelNames() =>
        Directory.Exists(ModelsRoot)
            ? Directory
                .EnumerateDirectories(ModelsRoot)
                .Where(d => File.Exists(Path.Combine(d, "meta.yaml")))
                .Select(d => (string)PyYaml.Load(Path.Combine(d, "meta.yaml"))["name"]!)
                .Order(StringComparer.Ordinal)
                .ToList()
            : [];

    public Task<RegisteredModel?> GetRegisteredModelAsync(string name, CancellationToken cancellationToken = default)
    {
        var folder = ModelFolder(name);
        if (!File.Exists(Path.Combine(folder, "meta.yaml")))
        {
            return Task.FromResult<RegisteredModel?>(null);
        }

        var meta = PyYaml.Load(Path.Combine(folder, "meta.yaml"));
        var aliases = meta.GetValueOrDefault("aliases") as Dictionary<string, object?> ?? [];
        return Task.FromResult<RegisteredModel?>(
            new RegisteredModel(
                name,
                meta.GetValueOrDefault("description") as string,
                aliases.ToDictionary(a => a.Key, a => a.Value as string ?? string.Empty),
                ReadValues(Path.Combine(folder, "tags"))
            )
        );
    }

    public Task CreateRegisteredModelAsync(
        string name,
        string? description,
        CancellationToken cancellationToken = default
    )
    {
        lock (_gate)
        {
            var folder = ModelFolder(name);
            if (File.Exists(Path.Combine(folder, "meta.yaml")))
            {
                throw new TrackingException(
                    "RESOURCE_ALREADY_EXISTS",
                    400,
                    $"Registered Model (name={name}) already exists."
                );
            }

            var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            WriteModelMeta(name, now, now, description, new Dictionary<string, string>());
        }

        return Task.CompletedTask;
    }

    public Task SetRegisteredModelTagAsync(
        string name,
        string key,
        string value,
        CancellationToken cancellationToken = default
    )
    {
        RequireModel(name);
        WriteValue(Path.Combine(ModelFolder(name), "tags"), key, value);
        return Task.CompletedTask;
    }

    /// <summary>MLflow's model-versions/set-tag, on this store only (SyncRuns marks what it registered elsewhere).</summary>
    public Task SetModelVersionTagAsync(string name, string version, string key, string value)
    {
        var folder = Path.Combine(ModelFolder(name), $"version-{version}");
        if (!File.Exists(Path.Combine(folder, "meta.yaml")))
        {
            throw new TrackingException(
                "RESOURCE_DOES_NOT_EXIST",
                404,
                $"Model Version (name={name}, version={version}) not found"
            );
        }

        WriteValue(Path.Combine(folder, "tags"), key, value);
        return Task.CompletedTask;
    }

    public Task<ModelVersion> CreateModelVersionAsync(
        string name,
        string source,
        string runId,
        IReadOnlyDictionary<string, string>? tags = null,
        CancellationToken cancellationToken = default
    )
    {
        lock (_gate)
        {
            RequireModel(name);
            var version =
                Versions(name).Select(v => int.Parse(v.Version, CultureInfo.InvariantCulture)).DefaultIfEmpty(0).Max()
                + 1;
            var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            var folder = Path.Combine(ModelFolder(name), $"version-{version}");
            AtomicFile.WriteAllText(
                Path.Combine(folder, "meta.yaml"),
                PyYaml.Dump(
                    new Dictionary<string, object?>
                    {
                        ["aliases"] = Array.Empty<string>(),
                        ["creation_timestamp"] = now,
                        ["current_stage"] = "None",
                        ["description"] = null,
                        ["last_updated_timestamp"] = now,
                        ["name"] = name,
                        ["run_id"] = runId,
                        ["run_link"] = null,
                        ["source"] = source,
                        ["status"] = "READY",
                        ["status_message"] = null,
                        ["storage_location"] = source,
                        ["user_id"] = null,
                        ["version"] = version,
                    }
                )
            );
            foreach (var (key, value) in tags ?? new Dictionary<string, string>())
            {
                WriteValue(Path.Combine(folder, "tags"), key, value);
            }

            return Task.FromResult(ReadVersion(name, folder));
        }
    }

    public Task<ModelVersion> GetModelVersionAsync(
        string name,
        string version,
        CancellationToken cancellationToken = default
    )
    {
        var folder = Path.Combine(ModelFolder(name), $"version-{version}");
        return File.Exists(Path.Combine(folder, "meta.yaml"))
            ? Task.FromResult(ReadVersion(name, folder))
            : throw new TrackingException(
                "RESOURCE_DOES_NOT_EXIST",
                404,
                $"Model Version (name={name}, version={version}) not found"
            );
    }

    public Task<IReadOnlyList<ModelVersion>> SearchModelVersionsAsync(
        string name,
        CancellationToken cancellationToken = default
    ) =>
        Task.FromResult<IReadOnlyList<ModelVersion>>([
            .. Versions(name).OrderByDescending(v => int.Parse(v.Version, CultureInfo.InvariantCulture)),
        ]);

    public async Task SetAliasAsync(
        string name,
        string alias,
        string version,
        CancellationToken cancellationToken = default
    )
    {
        await GetModelVersionAsync(name, version, cancellationToken);
        lock (_gate)
        {
            var (created, description, aliases) = ReadModelMeta(name);
            aliases[alias] = version;
            WriteModelMeta(name, created, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), description, aliases);
            AtomicFile.WriteAllText(Path.Combine(ModelFolder(name), "aliases", alias), version);
        }
    }

    public Task DeleteAliasAsync(string name, string alias, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            RequireModel(name);
            var (created, description, aliases) = ReadModelMeta(name);
            if (aliases.Remove(alias))
            {
                WriteModelMeta(name, created, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), description, aliases);
            }

            File.Delete(Path.Combine(ModelFolder(name), "aliases", alias));
        }

        return Task.CompletedTask;
    }

    public async Task<ModelVersion> GetModelVersionByAliasAsync(
        string name,
        string alias,
        CancellationToken cancellationToken = default
    )
    {
        var model =
            await GetRegisteredModelAsync(name, cancellationToken)
            ?? throw new TrackingException(
                "RESOURCE_DOES_NOT_EXIST",
                404,
                $"Registered Model with name={name} not found"
            );
        if (!model.Aliases.TryGetValue(alias, out var version))
        {
            throw new TrackingException("INVALID_PARAMETER_VALUE", 400, $"Registered model alias {alias} not found.");
        }

        var found = await GetModelVersionAsync(name, version, cancellationToken);
        return found with { Aliases = [alias] };
    }

    private IEnumerable<ModelVersion> Versions(string name) =>
        Directory.Exists(ModelFolder(name))
            ? Directory
                .EnumerateDirectories(ModelFolder(name), "version-*")
                .Where(d => File.Exists(Path.Combine(d, "meta.yaml")))
                .Select(d => ReadVersion(name, d))
            : [];

    private static ModelVersion ReadVersion(string name, string folder)
    {
        var meta = PyYaml.Load(Path.Combine(folder, "meta.yaml"));
        return new ModelVersion(
            name,
            meta["version"] as string ?? string.Empty,
            meta.GetValueOrDefault("source") as string ?? string.Empty,
            meta.GetValueOrDefault("run_id") as string,
            meta.GetValueOrDefault("status") as string ?? "READY",
            long.Parse(meta.GetValueOrDefault("creation_timestamp") as string ?? "0", CultureInfo.InvariantCulture),
            [],
            ReadValues(Path.Combine(folder, "tags"))
        );
    }

    private (long Created, string? Description, Dictionary<string, string> Aliases) ReadModelMeta(string name)
    {
        var meta = PyYaml.Load(Path.Combine(ModelFolder(name), "meta.yaml"));
        var aliases = (meta.GetValueOrDefault("aliases") as Dictionary<string, object?> ?? []).ToDictionary(
            a => a.Key,
            a => a.Value as string ?? string.Empty
        );
        return (
            long.Parse(meta["creation_timestamp"] as string ?? "0", CultureInfo.InvariantCulture),
            meta.GetValueOrDefault("description") as string,
            aliases
        );
    }

    private void WriteModelMeta(
        string name,
        long created,
        long updated,
        string? description,
        IReadOnlyDictionary<string, string> aliases
    ) =>
        AtomicFile.WriteAllText(
            Path.Combine(ModelFolder(name), "meta.yaml"),
            PyYaml.Dump(
                new Dictionary<string, object?>
                {
                    ["aliases"] = aliases,
                    ["creation_timestamp"] = created,
                    ["description"] = description,
                    ["last_updated_timestamp"] = updated,
                    ["name"] = name,
                }
            )
        );

    private void RequireModel(string name)
    {
        if (!File.Exists(Path.Combine(ModelFolder(name), "meta.yaml")))
        {
            throw new TrackingException("RESOURCE_DOES_NOT_EXIST", 404, $"Registered Model with name={name} not found");
        }
    }

    private string ModelFolder(string name) =>
        name.Length == 0 || name.Contains('/') || name.Contains('\\') || name is "." or ".."
            ? throw new TrackingException("INVALID_PARAMETER_VALUE", 400, $"Invalid registered model name '{name}'.")
            : Path.Combine(ModelsRoot, name);
}
