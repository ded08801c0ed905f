using System.Text.RegularExpressions;
using Microsoft.ML.Transforms;

namespace Sentiment.Model;

/// <summary>
/// The text clean-up that runs inside the saved model, so training and serving cannot disagree: HTML line
/// breaks (<c>&lt;br /&gt;</c>, common in IMDB reviews) and other tags become spaces, and runs of white space collapse.
/// Loading a model that uses it needs <see cref="SentimentModelLoader"/>, which registers this assembly.
/// </summary>
[CustomMappingFactoryAttribute(ContractName)]
public sealed partial class ReviewNormalizer
    : CustomMappingFactory<ReviewNormalizer.RawReview, ReviewNormalizer.CleanReview>
{
    public const string ContractName = "Sentiment.NormalizeReview.v1";

    public static void Map(RawReview input, CleanReview output) => output.CleanText = Normalize(input.Review);

    public static string Normalize(string? review)
    {
        if (string.IsNullOrEmpty(review))
        {
            return string.Empty;
        }

        var text = HtmlTag().Replace(review, " ");
        return Whitespace().Replace(text, " ").Trim();
    }

    public override Action<RawReview, CleanReview> GetMapping() => Map;

    [GeneratedRegex(@"<\s*/?\s*[a-zA-Z][^>]{0,40}>")]
    private static partial Regex HtmlTag();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    public sealed class RawReview
    {
        public string Review { get; set; } = string.Empty;
    }

    public sealed class CleanReview
    {
        public string CleanText { get; set; } = string.Empty;
    }
}
