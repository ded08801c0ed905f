using YamlDotNet.RepresentationModel;

namespace Pipeline.DataVersioning.Files;

/// <summary>
/// The outputs a pipeline's <c>dvc.lock</c> records, so pull, push and status cover stage outputs as DVC does. Each
/// path is relative to its stage's <c>wdir</c>; the flags that live only in <c>dvc.yaml</c> (<c>cache</c>,
/// <c>push</c>, <c>remote</c>) are read from there. Read-only: we never run or re-lock stages.
/// </summary>
public static class DvcLockFile
{
    public const string FileName = "dvc.lock";

    private static readonly string[] Flags = ["cache", "push", "remote"];

    public static IReadOnlyList<DvcOutput> LoadOutputs(string path)
    {
        var full = Path.GetFullPath(path);
        var folder = Path.GetDirectoryName(full)!;
        var root = DvcYaml.LoadMapping(File.ReadAllText(full), full);
        var definitions = LoadDefinitions(Path.Combine(folder, "dvc.yaml"));
        if (!root.Children.TryGetValue(new YamlScalarNode("stages"), out var stagesNode))
        {
            return [];
        }

        var stages =
            stagesNode as YamlMappingNode
            ?? throw new DvcException($"{full}:{stagesNode.Start.Line}: 'stages' must be a mapping");
        var outputs = new List<DvcOutput>();
        foreach (var (nameNode, stageNode) in stages.Children)
        {
            var stage = ((YamlScalarNode)nameNode).Value ?? string.Empty;
            if (
                stageNode is not YamlMappingNode lockStage
                || !lockStage.Children.TryGetValue(new YamlScalarNode("outs"), out var outsNode)
            )
            {
                continue;
            }

            var definition = definitions.GetValueOrDefault(stage);
            var baseDirectory = Path.GetFullPath(Path.Combine(folder, definition?.Wdir ?? "."));
            foreach (var item in (outsNode as YamlSequenceNode)?.Children ?? [])
            {
                if (item is not YamlMappingNode entry)
                {
                    throw new DvcException(
                        $"{full}:{item.Start.Line}: each entry in a stage's 'outs' must be a mapping"
                    );
                }

                var merged = new YamlMappingNode(entry.Children);
                var outPath = (DvcYaml.Child(entry, "path") as YamlScalarNode)?.Value;
                if (outPath is not null && definition?.Flags.GetValueOrDefault(outPath) is { } flags)
                {
                    foreach (
                        var (key, value) in flags.Children.Where(f => Flags.Contains(((YamlScalarNode)f.Key).Value))
                    )
                    {
                        merged.Children.TryAdd(key, value);
                    }
                }

                outputs.Add(new DvcOutput(full, baseDirectory, merged, (int)item.Start.Line, stage));
            }
        }

        return outputs;
    }

    private sealed record StageDefinition(string? Wdir, Dictionary<string, YamlMappingNode> Flags);

    /// <summary>Each stage's wdir and per-output flags from dvc.yaml (outs as plain paths or <c>{path: {flags}}</c>).</summary>
    private static Dictionary<string, StageDefinition> LoadDefinitions(string dvcYaml)
    {
        var definitions = new Dictionary<string, StageDefinition>(StringComparer.Ordinal);
        if (!File.Exists(dvcYaml))
        {
            return definitions;
        }

        var root = DvcYaml.LoadMapping(File.ReadAllText(dvcYaml), dvcYaml);
        if (DvcYaml.Child(root, "stages") is not YamlMappingNode stages)
        {
            return definitions;
        }

        foreach (var (nameNode, stageNode) in stages.Children)
        {
            if (stageNode is not YamlMappingNode stage)
            {
                continue;
            }

            var wdir = (DvcYaml.Child(stage, "wdir") as YamlScalarNode)?.Value;
            var flags = new Dictionary<string, YamlMappingNode>(StringComparer.Ordinal);
            foreach (var output in (DvcYaml.Child(stage, "outs") as YamlSequenceNode)?.Children ?? [])
            {
                if (
                    output is YamlMappingNode { Children.Count: 1 } withFlags
                    && withFlags.Children.First() is var (key, value)
                    && value is YamlMappingNode map
                )
                {
                    flags[((YamlScalarNode)key).Value ?? string.Empty] = map;
                }
            }

            definitions[((YamlScalarNode)nameNode).Value ?? string.Empty] = new StageDefinition(wdir, flags);
        }

        return definitions;
    }
}
