using Pipeline.Core.IO;
using SampleGenerator;

// The bundled sample: 6,000 invented reviews, balanced, from the phrase banks, always the same for the same seed.
var output = args.Length > 0 ? args[0] : "data/sample/reviews.csv";
var count = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : Sample.Reviews;
AtomicFile.WriteAllText(output, ReviewWriter.Csv(new ReviewWriter(Sample.Seed).Write(count)));
Console.WriteLine($"{count} reviews written to {output}");
