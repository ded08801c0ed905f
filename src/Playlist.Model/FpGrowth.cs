namespace Playlist.Model;

/// <summary>A set of tracks (ids in ascending order) and how many playlists hold all of them.</summary>
public sealed record Itemset(int[] Items, int Count);

/// <summary>
/// FP-Growth (Han, Pei and Yin, 2000): every itemset held by at least <c>minCount</c> baskets, up to
/// <c>maxLength</c> items, without generating candidates. Baskets are compressed into a prefix tree ordered by item
/// frequency; each frequent item's conditional tree is mined recursively.
/// </summary>
public static class FpGrowth
{
    public static IReadOnlyList<Itemset> Mine(IReadOnlyList<int[]> baskets, int minCount, int maxLength)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(minCount, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, 1);
        var weighted = baskets.Select(b => (Items: b, Count: 1)).ToList();
        var found = new List<Itemset>();
        Grow(weighted, [], minCount, maxLength, found);
        return found;
    }

    private static void Grow(
        List<(int[] Items, int Count)> baskets,
        int[] suffix,
        int minCount,
        int maxLength,
        List<Itemset> found
    )
    {
        var counts = new Dictionary<int, int>();
        foreach (var (items, count) in baskets)
        {
            foreach (var item in items)
            {
                counts[item] = counts.GetValueOrDefault(item) + count;
            }
        }

        // Most frequent first (ties by id), so shared prefixes share tree nodes.
        var rank = counts
            .Where(c => c.Value >= minCount)
            .OrderByDescending(c => c.Value)
            .ThenBy(c => c.Key)
            .Select((c, i) => (c.Key, i))
            .ToDictionary(c => c.Key, c => c.i);
        if (rank.Count == 0)
        {
            return;
        }

        var tree = new Node(-1, null);
        var header = new Dictionary<int, List<Node>>();
        foreach (var (items, count) in baskets)
        {
            var node = tree;
            foreach (var item in items.Where(rank.ContainsKey).OrderBy(i => rank[i]))
            {
                if (!node.Children.TryGetValue(item, out var child))
                {
                    child = new Node(item, node);
                    node.Children[item] = child;
                    if (!header.TryGetValue(item, out var nodes))
                    {
                        header[item] = nodes = [];
                    }

                    nodes.Add(child);
                }

                child.Count += count;
                node = child;
            }
        }

        // Least frequent first: each item's conditional base is the paths above its nodes.
        foreach (var item in rank.OrderByDescending(r => r.Value).Select(r => r.Key))
        {
            var itemset = suffix.Append(item).Order().ToArray();
            found.Add(new Itemset(itemset, counts[item]));
            if (itemset.Length >= maxLength)
            {
                continue;
            }

            var conditional = new List<(int[] Items, int Count)>();
            foreach (var node in header[item])
            {
                var path = new List<int>();
                for (var up = node.Parent; up is { Item: >= 0 }; up = up.Parent)
                {
                    path.Add(up.Item);
                }

                if (path.Count > 0)
                {
                    conditional.Add((path.ToArray(), node.Count));
                }
            }

            if (conditional.Count > 0)
            {
                Grow(conditional, itemset, minCount, maxLength, found);
            }
        }
    }

    private sealed class Node(int item, Node? parent)
    {
        public int Item { get; } = item;

        public Node? Parent { get; } = parent;

        public int Count { get; set; }

        public Dictionary<int, Node> Children { get; } = [];
    }
}
