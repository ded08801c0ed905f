using System.Security.Cryptography;
using System.Text;
using k8s.Models;

namespace Pipeline.Watcher;

/// <summary>One state of the dataset ConfigMap: its data, and the hash that says whether it was trained on already.</summary>
public sealed record ConfigChange(
    string Hash,
    string Dataset,
    IReadOnlyDictionary<string, string> Data,
    string? ResourceVersion
)
{
    /// <summary>The data key that names the dataset in the training Job's name.</summary>
    public const string DatasetKey = "DATASET_NAME";

    public static ConfigChange From(V1ConfigMap configMap)
    {
        var data = new SortedDictionary<string, string>(
            configMap.Data ?? new Dictionary<string, string>(),
            StringComparer.Ordinal
        );
        foreach (var (key, bytes) in configMap.BinaryData ?? new Dictionary<string, byte[]>())
        {
            data[key] = Convert.ToBase64String(bytes);
        }

        return new ConfigChange(
            HashOf(data),
            data.GetValueOrDefault(DatasetKey) ?? configMap.Metadata.Name,
            data,
            configMap.Metadata.ResourceVersion
        );
    }

    /// <summary>SHA-256 over the sorted keys and values, 32 hex digits: short enough for a label value, and metadata edits do not count.</summary>
    public static string HashOf(IReadOnlyDictionary<string, string> data)
    {
        var text = new StringBuilder();
        foreach (var (key, value) in data.OrderBy(d => d.Key, StringComparer.Ordinal))
        {
            text.Append(key).Append('\0').Append(value).Append('\0');
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())))[..32];
    }
}
