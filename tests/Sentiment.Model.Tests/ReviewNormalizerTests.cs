namespace Sentiment.Model.Tests;

public sealed class ReviewNormalizerTests
{
    [Theory]
    [InlineData("Great<br /><br />film", "Great film")]
    [InlineData("Great<br/>film<BR>again", "Great film again")]
    [InlineData("  spaced \t out\n ", "spaced out")]
    [InlineData("5 < 6 and 7 > 3", "5 < 6 and 7 > 3")]
    [InlineData("", "")]
    public void Normalize_Review_StripsTagsAndCollapsesSpace(string input, string expected) =>
        ReviewNormalizer.Normalize(input).ShouldBe(expected);
}
