using System.Globalization;
using Pipeline.DataVersioning.Files;

namespace Pipeline.DataVersioning.Operations;

/// <summary>The outputs a pull restored, with their md5s (the lineage later stages record).</summary>
public sealed record PullResult(IReadOnlyList<CheckoutChange> Changes, int Fetched, IReadOnlyList<DvcOutput> Outputs)
{
    /// <summary>DVC's closing line: <c>2 files added and 5 files fetched</c>.</summary>
    public string Summary
    {
        get
        {
            var added = Changes.Count(c => c.Kind == 'A');
            var modified = Changes.Count(c => c.Kind == 'M');
            var parts = new List<string>();
            if (added > 0)
            {
                parts.Add(Plural(added, "added"));
            }

            if (modified > 0)
            {
                parts.Add(Plural(modified, "modified"));
            }

            if (Fetched > 0)
            {
                parts.Add(Plural(Fetched, "fetched"));
            }

            return parts.Count == 0 ? "Everything is up to date." : string.Join(" and ", parts);
        }
    }

    private static string Plural(int n, string verb) =>
        n.ToString(CultureInfo.InvariantCulture) + (n == 1 ? " file " : " files ") + verb;
}

/// <summary><c>dvc pull</c>: fetch, then checkout; a failed fetch leaves the workspace untouched.</summary>
public static class DataPull
{
    public static async Task<PullResult> PullAsync(
        DvcRepository repository,
        IReadOnlyCollection<string>? targets,
        TransferOptions options,
        CancellationToken cancellationToken = default
    )
    {
        var outputs = repository.SelectOutputs(targets);
        var fetch = await new DataTransfer(repository, options).FetchAsync(outputs, cancellationToken);
        var changes = DataCheckout.Checkout(repository, outputs, options.Force);
        return new PullResult(changes, fetch.Fetched, outputs);
    }
}
