using System.Diagnostics;
using Pipeline.Training;

namespace Playlist.Model;

/// <summary>
/// Trains the playlist recommender behind the model-agnostic <see cref="IModelTrainer"/>: FP-Growth itemsets, rules,
/// leave-one-out hit rate and coverage. The model folder holds <c>rules.json</c> and <c>signature.json</c>.
/// </summary>
public sealed class PlaylistTrainer : IModelTrainer
{
    public const string MlflowFlavor = "association_rules";

    public static readonly ModelSignature Signature = new(
        [new ColumnSpec("seed_tracks", "string")],
        [new ColumnSpec("track", "string"), new ColumnSpec("confidence", "double"), new ColumnSpec("lift", "double")]
    );

    public string Name => "playlist";

    public string Flavor => MlflowFlavor;

    public TrainingResult Train(TrainingRequest request, CancellationToken cancellationToken = default)
    {
        var p = PlaylistParameters.From(request.Config);
        var clock = Stopwatch.StartNew();
        var data = PlaylistData.Load(request.DatasetPath, p.MaxMalformedShare);
        var playlists = request.Smoke ? data.Playlists.Take(p.SmokePlaylists).ToList() : data.Playlists;
        request.Log(
            $"playlists: {playlists.Count:N0} with {data.Tracks.Count:N0} distinct tracks ({data.Rows:N0} rows)"
        );
        var evaluation = PlaylistEvaluation.Split(playlists, p.TestFraction, p.Seed);
        var model = Fit(data.Tracks, evaluation.Training, p, out var itemsets);
        cancellationToken.ThrowIfCancellationRequested();
        var metrics = new Dictionary<string, double>(evaluation.Score(model, data.Tracks, p.TopN))
        {
            ["rules"] = model.Rules.Count,
            ["itemsets"] = itemsets,
            ["playlists"] = playlists.Count,
            ["tracks"] = data.Tracks.Count,
            ["train_seconds"] = Math.Round(clock.Elapsed.TotalSeconds, 3),
        };
        request.Log(
            $"rules: {model.Rules.Count:N0} from {itemsets:N0} itemsets; hit rate@{p.TopN} {metrics[$"hit_rate_at_{p.TopN}"]:P1}, coverage {metrics["coverage"]:P1}"
        );
        var summary = new DatasetSummary(
            request.DatasetPath,
            Pipeline.Core.IO.FileHash.Md5(request.DatasetPath),
            data.Rows,
            evaluation.Training.Sum(t => t.Length),
            evaluation.Cases.Count,
            data.Malformed
        );
        return TrainingOutput.Publish(
            request.OutputDirectory,
            staging =>
            {
                var modelFolder = Directory.CreateDirectory(Path.Combine(staging, TrainingOutput.ModelFolder)).FullName;
                model.Save(modelFolder);
                TrainingOutput.WriteSignature(modelFolder, Signature);
                var reports = Directory.CreateDirectory(Path.Combine(staging, TrainingOutput.ReportFolder)).FullName;
                Pipeline.Core.IO.JsonFile.Write(Path.Combine(reports, "metrics.json"), metrics);
                PlaylistReport.Write(Path.Combine(reports, "report.html"), metrics, model, p.TopN);
            },
            (modelDirectory, reportDirectory) =>
                new TrainingResult(
                    modelDirectory,
                    reportDirectory,
                    metrics,
                    [],
                    p.ToParams(),
                    Signature,
                    summary,
                    MlflowFlavor,
                    new Dictionary<string, object?>
                    {
                        ["code"] = null,
                        ["rules_file"] = RuleSet.FileName,
                        ["format"] = RuleSet.FormatVersion,
                        ["signature_file"] = TrainingOutput.SignatureFile,
                    }
                )
        );
    }

    public IReadOnlyDictionary<string, double> Evaluate(
        string modelDirectory,
        TrainingRequest request,
        CancellationToken cancellationToken = default
    )
    {
        var p = PlaylistParameters.From(request.Config);
        var data = PlaylistData.Load(request.DatasetPath, p.MaxMalformedShare);
        var playlists = request.Smoke ? data.Playlists.Take(p.SmokePlaylists).ToList() : data.Playlists;
        var evaluation = PlaylistEvaluation.Split(playlists, p.TestFraction, p.Seed);
        return evaluation.Score(RuleSet.Load(modelDirectory), data.Tracks, p.TopN);
    }

    /// <summary>Mines the playlists and builds the recommender: what Train does, without evaluation or files.</summary>
    public static RuleSet Fit(
        IReadOnlyList<string> tracks,
        IReadOnlyList<int[]> playlists,
        PlaylistParameters p,
        out int itemsets
    )
    {
        var minCount = Math.Max(2, (int)Math.Ceiling(p.MinSupport * playlists.Count));
        var frequent = FpGrowth.Mine(playlists, minCount, p.MaxItemset);
        itemsets = frequent.Count;
        var rules = AssociationRules.From(frequent, playlists.Count, p.MinConfidence);
        return RuleSet.Create(tracks, playlists, rules);
    }
}
