using System.Text.Json;

namespace Pipeline.Core.IO;

/// <summary>The project's JSON files (lineage, reports, manifests): indented, one trailing newline, written whole.</summary>
public static class JsonFile
{
    public static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static void Write<T>(string path, T value) =>
        AtomicFile.WriteAllText(path, JsonSerializer.Serialize(value, Indented) + "\n");
}
