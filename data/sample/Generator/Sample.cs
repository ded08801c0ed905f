namespace SampleGenerator;

/// <summary>What the committed sample is: this many reviews from this seed.</summary>
internal static class Sample
{
    public const int Seed = 2026;
    public const int Reviews = 6000;
}
