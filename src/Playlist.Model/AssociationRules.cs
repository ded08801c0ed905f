namespace Playlist.Model;

/// <summary>
/// "Playlists with <see cref="Antecedent"/> also hold <see cref="Consequent"/>": support (share of playlists holding
/// both), confidence (share of the antecedent's playlists that also hold the consequent) and lift (confidence over the
/// consequent's own share: above 1, the two go together more than chance).
/// </summary>
public sealed record AssociationRule(int[] Antecedent, int Consequent, double Support, double Confidence, double Lift);

public static class AssociationRules
{
    /// <summary>Every rule with a single consequent that the frequent itemsets support, at or above the confidence.</summary>
    public static IReadOnlyList<AssociationRule> From(
        IReadOnlyList<Itemset> itemsets,
        int baskets,
        double minConfidence
    )
    {
        var counts = itemsets.ToDictionary(i => RuleSet.Key(i.Items), i => i.Count);
        var rules = new List<AssociationRule>();
        foreach (var itemset in itemsets.Where(i => i.Items.Length >= 2))
        {
            foreach (var consequent in itemset.Items)
            {
                var antecedent = itemset.Items.Where(i => i != consequent).ToArray();
                var confidence = (double)itemset.Count / counts[RuleSet.Key(antecedent)];
                if (confidence < minConfidence)
                {
                    continue;
                }

                var consequentShare = (double)counts[RuleSet.Key([consequent])] / baskets;
                rules.Add(
                    new AssociationRule(
                        antecedent,
                        consequent,
                        (double)itemset.Count / baskets,
                        confidence,
                        confidence / consequentShare
                    )
                );
            }
        }

        return rules;
    }
}
