using System.Globalization;

namespace Pipeline.Tracking;

/// <summary>
/// The registry flow: every model that passes the gate becomes a new version with the alias <c>challenger</c>;
/// <c>champion</c> moves to a version once it is deployed; a rollback returns it to the previous champion. The order
/// of champions is kept in a tag on the registered model, so a rollback knows where to go.
/// </summary>
public sealed class ModelRegistry(ITrackingStore store)
{
    public const string ChampionAlias = "champion";
    public const string ChallengerAlias = "challenger";
    public const string HistoryTag = "pipeline.champion_history";
    public const string LastChangeTag = "pipeline.champion_change";

    public async Task<ModelVersion> RegisterChallengerAsync(
        string name,
        RunInfo run,
        string artifactPath,
        IReadOnlyDictionary<string, string>? tags = null,
        CancellationToken cancellationToken = default
    )
    {
        if (await store.GetRegisteredModelAsync(name, cancellationToken) is null)
        {
            try
            {
                await store.CreateRegisteredModelAsync(name, null, cancellationToken);
            }
            catch (TrackingException ex) when (ex.IsAlreadyExists) { }
        }

        var version = await store.CreateModelVersionAsync(
            name,
            run.ArtifactUri.TrimEnd('/') + "/" + artifactPath,
            run.RunId,
            tags,
            cancellationToken
        );
        await store.SetAliasAsync(name, ChallengerAlias, version.Version, cancellationToken);
        return version;
    }

    /// <summary>The current champion and its run, or null when there is none yet.</summary>
    public async Task<(ModelVersion Version, Run Run)?> GetChampionAsync(
        string name,
        CancellationToken cancellationToken = default
    )
    {
        var model = await store.GetRegisteredModelAsync(name, cancellationToken);
        if (model is null || !model.Aliases.TryGetValue(ChampionAlias, out var number))
        {
            return null;
        }

        var version = await store.GetModelVersionAsync(name, number, cancellationToken);
        return version.RunId is { } runId ? (version, await store.GetRunAsync(runId, cancellationToken)) : null;
    }

    /// <summary>Moves <c>champion</c> to <paramref name="version"/> and records the move.</summary>
    public async Task<ModelVersion> PromoteAsync(
        string name,
        string version,
        CancellationToken cancellationToken = default
    )
    {
        var target = await store.GetModelVersionAsync(name, version, cancellationToken);
        var model =
            await store.GetRegisteredModelAsync(name, cancellationToken)
            ?? throw new TrackingException(
                "RESOURCE_DOES_NOT_EXIST",
                404,
                $"Registered Model with name={name} not found"
            );
        var history = History(model);
        if (model.Aliases.GetValueOrDefault(ChampionAlias) == version)
        {
            return target;
        }

        history.Add(version);
        await store.SetAliasAsync(name, ChampionAlias, version, cancellationToken);
        await store.SetRegisteredModelTagAsync(name, HistoryTag, string.Join(',', history), cancellationToken);
        await store.SetRegisteredModelTagAsync(
            name,
            LastChangeTag,
            $"promoted {model.Aliases.GetValueOrDefault(ChampionAlias) ?? "none"} -> {version} at {Now()}",
            cancellationToken
        );
        return target;
    }

    /// <summary>
    /// Moves <c>champion</c> to what <paramref name="reference"/> names: a version, the version an alias points to, or,
    /// for a bare name or none, the version of the extracted model in <paramref name="modelDirectory"/>. Null when nothing
    /// names a registered version.
    /// </summary>
    public async Task<ModelVersion?> PromoteReferenceAsync(
        RegisteredModelReference? reference,
        string modelDirectory,
        CancellationToken cancellationToken = default
    ) =>
        reference switch
        {
            { Version: { } version } => await PromoteAsync(reference.Name, version, cancellationToken),
            { Alias: { } alias } => await PromoteAsync(
                reference.Name,
                (await store.GetModelVersionByAliasAsync(reference.Name, alias, cancellationToken)).Version,
                cancellationToken
            ),
            _ => await PromoteExtractedAsync(modelDirectory, reference?.Name, cancellationToken),
        };

    /// <summary>
    /// Moves <c>champion</c> to the version an extracted model came from (its <c>lineage.json</c>), under the registered
    /// name recorded there. Null when the model has no registered version. A different <paramref name="expectedName"/> is
    /// refused: the lineage names what was extracted, so promoting it under another name would move the wrong alias.
    /// </summary>
    public async Task<ModelVersion?> PromoteExtractedAsync(
        string modelDirectory,
        string? expectedName = null,
        CancellationToken cancellationToken = default
    )
    {
        var version = ModelExtractor.ReadLineage(modelDirectory, "version");
        var name = ModelExtractor.ReadLineage(modelDirectory, "registered_model");
        if (version is null || name is null)
        {
            return null;
        }

        if (expectedName is { Length: > 0 } && expectedName != name)
        {
            throw new TrackingException(
                "INVALID_PARAMETER_VALUE",
                400,
                $"{Path.Combine(modelDirectory, ModelExtractor.LineageFile)} is {name} v{version}, not a version of {expectedName}; name the version to promote as {expectedName}/N."
            );
        }

        return await PromoteAsync(name, version, cancellationToken);
    }

    /// <summary>Returns <c>champion</c> to the version before the current one, and records that as a tag.</summary>
    public async Task<ModelVersion> RollbackAsync(string name, CancellationToken cancellationToken = default)
    {
        var model =
            await store.GetRegisteredModelAsync(name, cancellationToken)
            ?? throw new TrackingException(
                "RESOURCE_DOES_NOT_EXIST",
                404,
                $"Registered Model with name={name} not found"
            );
        var current =
            model.Aliases.GetValueOrDefault(ChampionAlias)
            ?? throw new TrackingException(
                "INVALID_PARAMETER_VALUE",
                400,
                $"Registered model alias {ChampionAlias} not found."
            );
        var history = History(model);
        while (history.Count > 0 && history[^1] == current)
        {
            history.RemoveAt(history.Count - 1);
        }

        if (history.Count == 0)
        {
            throw new TrackingException(
                "INVALID_PARAMETER_VALUE",
                400,
                $"{name}: version {current} is the first champion; there is no previous champion to roll back to."
            );
        }

        var previous = history[^1];
        await store.SetAliasAsync(name, ChampionAlias, previous, cancellationToken);
        await store.SetRegisteredModelTagAsync(name, HistoryTag, string.Join(',', history), cancellationToken);
        await store.SetRegisteredModelTagAsync(
            name,
            LastChangeTag,
            $"rolled back {current} -> {previous} at {Now()}",
            cancellationToken
        );
        return await store.GetModelVersionAsync(name, previous, cancellationToken);
    }

    private static List<string> History(RegisteredModel model) =>
        model.Tags.TryGetValue(HistoryTag, out var tag) && tag.Length > 0 ? [.. tag.Split(',')] : [];

    private static string Now() => DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
}
