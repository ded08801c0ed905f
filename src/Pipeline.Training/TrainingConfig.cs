using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Pipeline.Training;

/// <summary>
/// Training settings: a JSON file (<c>config/training.json</c>) with <c>--param key=value</c> overrides on top.
/// Hyper-parameters are strings until a trainer reads them, so every trainer validates its own and an unknown
/// or malformed value is an error that names the key.
/// </summary>
public sealed class TrainingConfig
{
    private readonly SortedDictionary<string, string> _params;

    private TrainingConfig(
        string model,
        string? dataset,
        string experiment,
        string registeredModel,
        SortedDictionary<string, string> parameters,
        GateOptions gate,
        string source,
        string? evalDataset,
        string? behaviourSuite
    )
    {
        EvalDataset = evalDataset;
        BehaviourSuite = behaviourSuite;
        Model = model;
        Dataset = dataset;
        Experiment = experiment;
        RegisteredModel = registeredModel;
        _params = parameters;
        Gate = gate;
        Source = source;
    }

    /// <summary>Which <see cref="IModelTrainer"/> trains.</summary>
    public string Model { get; }

    /// <summary>The default dataset, relative to the repository root.</summary>
    public string? Dataset { get; }

    /// <summary>A fixed evaluation set, relative to the repository root, used instead of a random split when set.</summary>
    public string? EvalDataset { get; }

    /// <summary>The behavioural probes every model is evaluated on (absolute: resolved against the config's folder).</summary>
    public string? BehaviourSuite { get; }

    /// <summary>The tracking experiment runs are logged to.</summary>
    public string Experiment { get; }

    /// <summary>The registry name models that pass the gate are registered under.</summary>
    public string RegisteredModel { get; }

    public GateOptions Gate { get; }

    public string Source { get; }

    public IReadOnlyDictionary<string, string> Params => _params;

    /// <summary>A stable hash of the effective settings, logged as a tag so two runs with the same hash trained alike.</summary>
    public string Hash
    {
        get
        {
            var canonical = new StringBuilder().Append("model=").Append(Model).Append('\n');
            if (EvalDataset is not null)
            {
                canonical.Append("eval_dataset=").Append(EvalDataset).Append('\n');
            }

            foreach (var (key, value) in _params)
            {
                canonical.Append(key).Append('=').Append(value).Append('\n');
            }

            foreach (var (key, value) in Gate.Floors.OrderBy(f => f.Key, StringComparer.Ordinal))
            {
                canonical
                    .Append("gate.")
                    .Append(key)
                    .Append('=')
                    .Append(value.ToString("R", CultureInfo.InvariantCulture))
                    .Append('\n');
            }

            return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical.ToString())))[..16];
        }
    }

    public static TrainingConfig Load(string path, IEnumerable<string> overrides)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(
                File.ReadAllText(path),
                new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true }
            );
        }
        catch (JsonException ex)
        {
            throw new TrainingDataException($"{path}:{(ex.LineNumber ?? 0) + 1}: not valid JSON: {ex.Message}");
        }
        catch (IOException ex)
        {
            throw new TrainingDataException($"--config: cannot read {path}: {ex.Message}");
        }

        using (document)
        {
            var root = document.RootElement;
            var model =
                root.TryGetProperty("model", out var m) && m.GetString() is { Length: > 0 } name
                    ? name
                    : throw new TrainingDataException(
                        $"{path}: 'model' is required (the trainer to use, e.g. \"sentiment\")."
                    );
            var dataset = root.TryGetProperty("dataset", out var d) ? d.GetString() : null;
            var experiment =
                root.TryGetProperty("experiment", out var e) && e.GetString() is { Length: > 0 } exp ? exp : model;
            var registered =
                root.TryGetProperty("registered_model", out var r) && r.GetString() is { Length: > 0 } reg
                    ? reg
                    : $"{model}-model";
            var parameters = new SortedDictionary<string, string>(StringComparer.Ordinal);
            if (root.TryGetProperty("params", out var p))
            {
                foreach (var property in p.EnumerateObject())
                {
                    parameters[property.Name] =
                        property.Value.ValueKind == JsonValueKind.String
                            ? property.Value.GetString()!
                            : property.Value.GetRawText();
                }
            }

            foreach (var item in overrides)
            {
                var equals = item.IndexOf('=', StringComparison.Ordinal);
                if (equals <= 0)
                {
                    throw new TrainingDataException($"--param: '{item}' is not key=value.");
                }

                parameters[item[..equals].Trim()] = item[(equals + 1)..].Trim();
            }

            var gate = GateOptions.Parse(root.TryGetProperty("gate", out var g) ? g : default, path);
            var evalDataset = root.TryGetProperty("eval_dataset", out var ev) ? ev.GetString() : null;
            var behaviour =
                root.TryGetProperty("behaviour", out var b) && b.GetString() is { Length: > 0 } suite
                    ? Path.GetFullPath(Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, suite))
                    : null;
            if (behaviour is not null && !File.Exists(behaviour))
            {
                throw new TrainingDataException($"{path}: 'behaviour' names {behaviour}, which does not exist.");
            }

            return new TrainingConfig(
                model,
                dataset,
                experiment,
                registered,
                parameters,
                gate,
                path,
                evalDataset,
                behaviour
            );
        }
    }

    public string GetString(string key, string fallback) => _params.TryGetValue(key, out var value) ? value : fallback;

    public int GetInt(string key, int fallback) =>
        Get(key, fallback, s => int.Parse(s, NumberStyles.Integer, CultureInfo.InvariantCulture));

    public double GetDouble(string key, double fallback) =>
        Get(key, fallback, s => double.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture));

    /// <summary>Every param a trainer did not read is a typo or a setting for another trainer; trainers call this to fail on it.</summary>
    public void RejectUnknown(IReadOnlyCollection<string> known)
    {
        var unknown = _params.Keys.Where(k => !known.Contains(k)).ToList();
        if (unknown.Count > 0)
        {
            throw new TrainingDataException(
                $"{Source}: unknown training param(s) {string.Join(", ", unknown)}; this trainer knows {string.Join(", ", known.Order(StringComparer.Ordinal))}."
            );
        }
    }

    private T Get<T>(string key, T fallback, Func<string, T> parse)
    {
        if (!_params.TryGetValue(key, out var value))
        {
            return fallback;
        }

        try
        {
            return parse(value);
        }
        catch (FormatException)
        {
            throw new TrainingDataException(
                $"param '{key}': '{value}' is not a valid {typeof(T).Name.ToLowerInvariant()}."
            );
        }
        catch (OverflowException)
        {
            throw new TrainingDataException($"param '{key}': '{value}' is out of range.");
        }
    }
}
