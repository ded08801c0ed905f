namespace Sentiment.Reviews;

public sealed record Movie(long Id, string Title, long Year, string Genre, string Description);

/// <summary>
/// A stored review: the text, what the model said (and which model), the label a moderator verified, and the author's
/// own correction (kept apart: it is not trusted for training).
/// </summary>
public sealed record Review(
    long Id,
    long MovieId,
    string Text,
    string PredictedSentiment,
    double Probability,
    string ModelVersion,
    long CreatedAt,
    string? VerifiedSentiment,
    long? FeedbackAt,
    string? AuthorSentiment = null
)
{
    /// <summary>When the row last changed for training: its creation, or a moderator's verification.</summary>
    public long ChangedAt => Math.Max(CreatedAt, FeedbackAt ?? 0);

    /// <summary>The label to train on: the verified one when a moderator gave one, else the model's.</summary>
    public string Label => VerifiedSentiment ?? PredictedSentiment;
}

public enum AuthorFeedbackOutcome
{
    Recorded,
    NotFound,
    WrongToken,
    AlreadyGiven,
}

/// <summary>What became of an author's correction, and the review as it now stands (when it exists and the token fit).</summary>
public sealed record AuthorFeedback(AuthorFeedbackOutcome Outcome, Review? Review);

/// <summary>Freshness = positive reviews / all reviews; "fresh" at or above the threshold, "rotten" below, "unrated" with none.</summary>
public sealed record MovieScore(long MovieId, int Reviews, int Positive, double? Freshness, string Label);
