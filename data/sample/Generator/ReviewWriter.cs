using System.Text;
using System.Text.RegularExpressions;

namespace SampleGenerator;

/// <summary>One invented review and its label.</summary>
internal sealed record Review(string Text, bool Positive);

/// <summary>
/// Writes reviews from the phrase banks with a seeded random source, so the same seed always writes the same sample.
/// A review is one of several shapes — a one-liner, a plain review, one that praises by negating criticism (or the
/// reverse), one with a turn ("…, but …"), a mixed one with a dissenting sentence — and then gets a style: line
/// breaks as IMDB writes them, a typo or two, shouting, all lower case, exclamation marks.
/// </summary>
internal sealed partial class ReviewWriter(int seed)
{
    private readonly Random _random = new(seed);

    public IEnumerable<Review> Write(int count)
    {
        for (var i = 0; i < count; i++)
        {
            var positive = i % 2 == 0; // balanced, alternating
            yield return new Review(Style(Compose(positive)), positive);
        }
    }

    private string Compose(bool positive)
    {
        var shape = _random.NextDouble();
        return shape switch
        {
            < 0.12 => Pick(positive ? PhraseBanks.ShortPositive : PhraseBanks.ShortNegative),
            < 0.24 => OneLine(positive),
            < 0.52 => Plain(positive, dissent: false),
            < 0.64 => Negated(positive),
            < 0.78 => Turned(positive),
            < 0.90 => Plain(positive, dissent: true),
            _ => Fill(Pick(positive ? PhraseBanks.NegatedNegative : PhraseBanks.NegatedPositive)),
        };
    }

    /// <summary>
    /// One sentence, the way many people review: a judgement of one aspect or an everyday idiom, sometimes with a
    /// verdict. Short reviews teach each word's weight on its own, where long ones let other words explain the label.
    /// </summary>
    private string OneLine(bool positive)
    {
        var bank =
            _random.NextDouble() < 0.7
                ? positive
                    ? PhraseBanks.AspectPositive
                    : PhraseBanks.AspectNegative
                : positive
                    ? PhraseBanks.IdiomPositive
                    : PhraseBanks.IdiomNegative;
        var sentence = Fill(Pick(bank));
        return _random.NextDouble() < 0.3
            ? sentence + " " + Pick(PhraseBanks.Banks[positive ? "verdict_pos" : "verdict_neg"])
            : sentence;
    }

    /// <summary>Context, two to four sentences of the verdict's side (one of the other side when dissenting), a verdict.</summary>
    private string Plain(bool positive, bool dissent)
    {
        var sentences = new List<string>();
        for (var i = _random.Next(0, 3); i > 0; i--)
        {
            sentences.Add(Fill(Pick(PhraseBanks.Neutral)));
        }

        var aspects = _random.Next(2, 5);
        for (var i = 0; i < aspects; i++)
        {
            sentences.Add(Fill(Pick(positive ? PhraseBanks.AspectPositive : PhraseBanks.AspectNegative)));
        }

        if (_random.NextDouble() < 0.3)
        {
            sentences.Add(Fill(Pick(positive ? PhraseBanks.IdiomPositive : PhraseBanks.IdiomNegative)));
        }

        if (dissent)
        {
            sentences.Insert(
                _random.Next(sentences.Count),
                Fill(Pick(positive ? PhraseBanks.AspectNegative : PhraseBanks.AspectPositive))
            );
        }

        if (_random.NextDouble() < 0.8)
        {
            sentences.Add(Pick(PhraseBanks.Banks[positive ? "verdict_pos" : "verdict_neg"]));
        }

        return Join(sentences);
    }

    /// <summary>A verdict said by negating its opposite, in the middle of ordinary sentences.</summary>
    private string Negated(bool positive)
    {
        var sentences = new List<string>();
        if (_random.NextDouble() < 0.5)
        {
            sentences.Add(Fill(Pick(PhraseBanks.Neutral)));
        }

        for (var i = _random.Next(1, 3); i > 0; i--)
        {
            sentences.Add(Fill(Pick(positive ? PhraseBanks.NegatedNegative : PhraseBanks.NegatedPositive)));
        }

        if (_random.NextDouble() < 0.6)
        {
            sentences.Add(Fill(Pick(positive ? PhraseBanks.AspectPositive : PhraseBanks.AspectNegative)));
        }

        return Join(sentences);
    }

    /// <summary>A turn towards the verdict, sometimes with more of the verdict after it.</summary>
    private string Turned(bool positive)
    {
        var sentences = new List<string>();
        if (_random.NextDouble() < 0.4)
        {
            sentences.Add(Fill(Pick(PhraseBanks.Neutral)));
        }

        sentences.Add(Fill(Pick(positive ? PhraseBanks.ContrastToPositive : PhraseBanks.ContrastToNegative)));
        if (_random.NextDouble() < 0.5)
        {
            sentences.Add(Fill(Pick(positive ? PhraseBanks.AspectPositive : PhraseBanks.AspectNegative)));
        }

        if (_random.NextDouble() < 0.5)
        {
            sentences.Add(Pick(PhraseBanks.Banks[positive ? "verdict_pos" : "verdict_neg"]));
        }

        return Join(sentences);
    }

    private string Join(List<string> sentences)
    {
        // IMDB reviews break paragraphs with <br /><br />; a third of the longer ones do here too.
        var separator = sentences.Count > 2 && _random.NextDouble() < 0.33 ? " <br /><br />" : " ";
        return string.Join(separator, sentences);
    }

    private string Style(string text)
    {
        var style = _random.NextDouble();
        text = style switch
        {
            < 0.05 => text.ToLowerInvariant(),
            < 0.09 => Shout(text),
            < 0.17 => Misspell(text),
            < 0.22 => text.Replace(".", "!", StringComparison.Ordinal),
            _ => text,
        };
        return text;
    }

    /// <summary>One or two words in capitals, the way people shout in reviews.</summary>
    private string Shout(string text)
    {
        var words = text.Split(' ');
        for (var i = _random.Next(1, 3); i > 0; i--)
        {
            var at = _random.Next(words.Length);
            if (!words[at].StartsWith('<'))
            {
                words[at] = words[at].ToUpperInvariant();
            }
        }

        return string.Join(' ', words);
    }

    /// <summary>A known misspelling where the text has the word, else a swapped pair of letters in a longer word.</summary>
    private string Misspell(string text)
    {
        var known = PhraseBanks.Typos.Keys.Where(w => WordPattern(w).IsMatch(text)).ToList();
        if (known.Count > 0)
        {
            var word = known[_random.Next(known.Count)];
            return WordPattern(word).Replace(text, PhraseBanks.Typos[word], 1);
        }

        var words = text.Split(' ');
        var candidates = Enumerable
            .Range(0, words.Length)
            .Where(i => words[i].Length > 5 && words[i].All(char.IsLetter))
            .ToList();
        if (candidates.Count == 0)
        {
            return text;
        }

        var at = candidates[_random.Next(candidates.Count)];
        var letters = words[at].ToCharArray();
        var swap = _random.Next(1, letters.Length - 2);
        (letters[swap], letters[swap + 1]) = (letters[swap + 1], letters[swap]);
        words[at] = new string(letters);
        return string.Join(' ', words);
    }

    private static Regex WordPattern(string word) => new($@"\b{word}\b", RegexOptions.CultureInvariant);

    /// <summary>Every <c>{bank}</c> of the template filled with one entry; the sentence starts with a capital.</summary>
    private string Fill(string template)
    {
        var filled = Placeholder()
            .Replace(
                template,
                m =>
                    m.Groups[1].Value switch
                    {
                        "title" => $"{Pick(PhraseBanks.Banks["title_adj"])} {Pick(PhraseBanks.Banks["title_noun"])}"
                            is var t
                        && _random.NextDouble() < 0.5
                            ? "The " + t
                            : t,
                        "name" => $"{Pick(PhraseBanks.Banks["first_name"])} {Pick(PhraseBanks.Banks["last_name"])}",
                        var bank => Pick(PhraseBanks.Banks[bank]),
                    }
            );
        filled = Article().Replace(filled, m => (m.Groups[1].Value == "A" ? "An" : "an") + " " + m.Groups[2].Value);
        return char.ToUpperInvariant(filled[0]) + filled[1..];
    }

    private string Pick(string[] options) => options[_random.Next(options.Length)];

    public static string Csv(IEnumerable<Review> reviews)
    {
        var text = new StringBuilder();
        using var writer = new StringWriter(text) { NewLine = "\n" };
        var csv = new Pipeline.Core.Csv.CsvWriter(writer);
        csv.WriteRecord(["review", "sentiment"]);
        foreach (var review in reviews)
        {
            csv.WriteRecord([review.Text, review.Positive ? "positive" : "negative"]);
        }

        writer.Flush();
        return text.ToString();
    }

    [GeneratedRegex(@"\{(\w+)\}")]
    private static partial Regex Placeholder();

    /// <summary>"a" before a vowel sound becomes "an" (a filled template cannot know which word comes next).</summary>
    [GeneratedRegex(@"\b([Aa]) ([aeiouAEIOU]\w*)")]
    private static partial Regex Article();
}
