namespace Sentiment.Reviews;

public sealed record Movie(long Id, string Title, long Year, string Genre, string Description);

/// <summary>A stored review: the text, what the model said (and which model), and what the user confirmed.</summary>
public sealed record Review(
    long Id,
    long MovieId,
    string Text,
    string PredictedSentiment,
    double Probability,
    string ModelVersion,
    long CreatedAt,
    string? VerifiedSentiment,
    long? FeedbackAt
)
{
    /// <summary>When the row last changed: its creation, or the user's feedback.</summary>
    public long ChangedAt => Math.Max(CreatedAt, FeedbackAt ?? 0);

    /// <summary>The label to train on: the user's verified one when there is one.</summary>
    public string Label => VerifiedSentiment ?? PredictedSentiment;
}

/// <summary>Freshness = positive reviews / all reviews; "fresh" at or above the threshold, "rotten" below, "unrated" with none.</summary>
public sealed record MovieScore(long MovieId, int Reviews, int Positive, double? Freshness, string Label);
