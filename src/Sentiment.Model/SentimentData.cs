using Microsoft.ML.Data;

namespace Sentiment.Model;

/// <summary>One labelled review, as the IMDB CSV (<c>review,sentiment</c>) holds it.</summary>
public sealed class SentimentInput
{
    [LoadColumn(0)]
    public string Review { get; set; } = string.Empty;

    [LoadColumn(1)]
    public bool Label { get; set; }
}

/// <summary>A review as the classifier sees it: its label and its <see cref="TextFeaturizer"/> vector.</summary>
public sealed class FeatureRow
{
    public bool Label { get; set; }

    public VBuffer<float> Features { get; set; }

    /// <summary>The row's schema with the vector's length, which only the fitted featurizer knows.</summary>
    public static SchemaDefinition Schema(int length)
    {
        var schema = SchemaDefinition.Create(typeof(FeatureRow));
        schema[nameof(Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, length);
        return schema;
    }
}

/// <summary>What the model says about a review.</summary>
public sealed class SentimentPrediction
{
    [ColumnName("PredictedLabel")]
    public bool Positive { get; set; }

    /// <summary>The calibrated probability that the review is positive.</summary>
    public float Probability { get; set; }

    public float Score { get; set; }

    public string Sentiment => Positive ? SentimentLabels.Positive : SentimentLabels.Negative;
}

public static class SentimentLabels
{
    public const string Positive = "positive";
    public const string Negative = "negative";
}
