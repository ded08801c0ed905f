using System.Globalization;
using System.Text.Json;
using Pipeline.Core.IO;
using Pipeline.Tracking.FileStore;

namespace Pipeline.Tracking;

/// <summary>A model column for the MLmodel signature: MLflow's column-spec types (string, boolean, float, double, long…).</summary>
public sealed record SignatureColumn(string Name, string Type);

/// <summary>
/// Writes the <c>MLmodel</c> file that makes a folder an MLflow model, with our own flavor (e.g. <c>mlnet</c>), the
/// run id, a model uuid and the signature, in the layout <c>mlflow.models.Model</c> writes (sorted keys, block style).
/// </summary>
public static class MlModelFile
{
    public const string FileName = "MLmodel";

    /// <summary>The MLmodel format version followed (MLflow 2.12's).</summary>
    public const string FormatVersion = "2.12.2";

    /// <summary>The flavor names an MLmodel file declares (<c>mlnet</c>, <c>python_function</c>, <c>sklearn</c>…).</summary>
    public static IReadOnlyList<string> ReadFlavors(string path)
    {
        try
        {
            return PyYaml.Load(path).GetValueOrDefault("flavors") is Dictionary<string, object?> flavors
                ? [.. flavors.Keys]
                : [];
        }
        catch (YamlDotNet.Core.YamlException ex)
        {
            throw new TrackingException(
                "INVALID_PARAMETER_VALUE",
                400,
                $"{path}: not a valid MLmodel file: {ex.Message}"
            );
        }
    }

    /// <returns>The model uuid and the JSON entry for the run's <c>mlflow.log-model.history</c> tag.</returns>
    public static (string ModelUuid, string HistoryEntry) Write(
        string modelDirectory,
        string flavor,
        IReadOnlyDictionary<string, object?> flavorSettings,
        string runId,
        string artifactPath,
        IReadOnlyList<SignatureColumn> inputs,
        IReadOnlyList<SignatureColumn> outputs
    )
    {
        var uuid = Guid.NewGuid().ToString("N");
        var created = DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture);
        var size = Directory
            .EnumerateFiles(modelDirectory, "*", SearchOption.AllDirectories)
            .Sum(f => new FileInfo(f).Length);
        var inputsJson = JsonSerializer.Serialize(
            inputs.Select(c => new Dictionary<string, object>
            {
                ["type"] = c.Type,
                ["name"] = c.Name,
                ["required"] = true,
            })
        );
        var outputsJson = JsonSerializer.Serialize(
            outputs.Select(c => new Dictionary<string, object>
            {
                ["type"] = c.Type,
                ["name"] = c.Name,
                ["required"] = true,
            })
        );
        var signature = new Dictionary<string, object?>
        {
            ["inputs"] = inputsJson,
            ["outputs"] = outputsJson,
            ["params"] = null,
        };
        AtomicFile.WriteAllText(
            Path.Combine(modelDirectory, FileName),
            PyYaml.Dump(
                new Dictionary<string, object?>
                {
                    ["artifact_path"] = artifactPath,
                    ["flavors"] = new Dictionary<string, object?> { [flavor] = flavorSettings },
                    ["mlflow_version"] = FormatVersion,
                    ["model_size_bytes"] = size,
                    ["model_uuid"] = uuid,
                    ["run_id"] = runId,
                    ["signature"] = signature,
                    ["utc_time_created"] = created,
                }
            )
        );
        var history = JsonSerializer.Serialize(
            new Dictionary<string, object?>
            {
                ["run_id"] = runId,
                ["artifact_path"] = artifactPath,
                ["utc_time_created"] = created,
                ["flavors"] = new Dictionary<string, object?> { [flavor] = flavorSettings },
                ["model_uuid"] = uuid,
                ["mlflow_version"] = FormatVersion,
                ["signature"] = signature,
                ["model_size_bytes"] = size,
            }
        );
        return (uuid, history);
    }
}
