namespace Pipeline.Training.Reports;

/// <summary>
/// A binary classifier's numbers from its labels and positive-class probabilities, computed one way for every model
/// (challenger and champion alike): the decision is probability ≥ 0.5, so the label and the probability always agree;
/// <c>log_loss</c> is the natural-log loss, as scikit-learn reports it; every value is finite or left out.
/// </summary>
public static class BinaryMetrics
{
    /// <summary>Probabilities are clipped away from 0 and 1 so one confident mistake cannot make the loss infinite.</summary>
    public const double Epsilon = 1e-15;

    public static (SortedDictionary<string, double> Metrics, ConfusionMatrix Confusion) Compute(
        IReadOnlyList<bool> labels,
        IReadOnlyList<double> probabilities
    )
    {
        if (labels.Count != probabilities.Count || labels.Count == 0)
        {
            throw new ArgumentException("one probability per label, and at least one of each", nameof(probabilities));
        }

        long tp = 0,
            fp = 0,
            tn = 0,
            fn = 0;
        var logLoss = 0.0;
        for (var i = 0; i < labels.Count; i++)
        {
            var p = double.IsFinite(probabilities[i]) ? Math.Clamp(probabilities[i], Epsilon, 1 - Epsilon) : 0.5;
            var predicted = p >= 0.5;
            (tp, fp, tn, fn) = (labels[i], predicted) switch
            {
                (true, true) => (tp + 1, fp, tn, fn),
                (false, true) => (tp, fp + 1, tn, fn),
                (false, false) => (tp, fp, tn + 1, fn),
                _ => (tp, fp, tn, fn + 1),
            };
            logLoss -= labels[i] ? Math.Log(p) : Math.Log(1 - p);
        }

        var metrics = new SortedDictionary<string, double>(StringComparer.Ordinal)
        {
            ["accuracy"] = (double)(tp + tn) / labels.Count,
            ["precision"] = Ratio(tp, tp + fp),
            ["recall"] = Ratio(tp, tp + fn),
            ["negative_precision"] = Ratio(tn, tn + fn),
            ["negative_recall"] = Ratio(tn, tn + fp),
            ["f1"] = Ratio(2 * tp, 2 * tp + fp + fn),
            ["log_loss"] = logLoss / labels.Count,
            ["auc"] = Auc(labels, probabilities),
            ["auprc"] = AveragePrecision(labels, probabilities),
            ["true_positives"] = tp,
            ["false_positives"] = fp,
            ["true_negatives"] = tn,
            ["false_negatives"] = fn,
        };
        foreach (var key in metrics.Where(m => !double.IsFinite(m.Value)).Select(m => m.Key).ToList())
        {
            metrics.Remove(key); // missing, never NaN or infinity
        }

        return (metrics, new ConfusionMatrix(tp, fp, tn, fn));
    }

    /// <summary>The area under the ROC curve: the chance a random positive scores above a random negative (ties half).</summary>
    public static double Auc(IReadOnlyList<bool> labels, IReadOnlyList<double> scores)
    {
        var order = Enumerable.Range(0, labels.Count).OrderBy(i => scores[i]).ToArray();
        double rankSum = 0;
        long positives = 0;
        for (var start = 0; start < order.Length; )
        {
            var end = start;
            while (end + 1 < order.Length && scores[order[end + 1]] == scores[order[start]])
            {
                end++;
            }

            var rank = (start + end) / 2.0 + 1; // tied scores share their mean rank
            for (var k = start; k <= end; k++)
            {
                if (labels[order[k]])
                {
                    rankSum += rank;
                    positives++;
                }
            }

            start = end + 1;
        }

        var negatives = labels.Count - positives;
        return positives == 0 || negatives == 0
            ? double.NaN
            : (rankSum - positives * (positives + 1) / 2.0) / ((double)positives * negatives);
    }

    /// <summary>The area under the precision-recall curve as average precision (scikit-learn's definition).</summary>
    public static double AveragePrecision(IReadOnlyList<bool> labels, IReadOnlyList<double> scores)
    {
        var positives = labels.Count(l => l);
        if (positives == 0)
        {
            return double.NaN;
        }

        var order = Enumerable.Range(0, labels.Count).OrderByDescending(i => scores[i]).ToArray();
        double precisionSum = 0;
        long tp = 0,
            seen = 0;
        for (var start = 0; start < order.Length; )
        {
            var end = start;
            while (end + 1 < order.Length && scores[order[end + 1]] == scores[order[start]])
            {
                end++;
            }

            var newPositives = 0;
            for (var k = start; k <= end; k++)
            {
                newPositives += labels[order[k]] ? 1 : 0;
            }

            tp += newPositives;
            seen += end - start + 1;
            precisionSum += newPositives * ((double)tp / seen);
            start = end + 1;
        }

        return precisionSum / positives;
    }

    private static double Ratio(long numerator, long denominator) =>
        denominator == 0 ? double.NaN : (double)numerator / denominator;
}
