using Pipeline.DataVersioning.Files;
using Pipeline.DataVersioning.Hashing;

namespace Pipeline.DataVersioning.Operations;

/// <summary>The objects one output needs: its own id and, for a directory, each file its manifest lists.</summary>
internal sealed record OutputObjects(
    DvcOutput Output,
    ObjectId Id,
    IReadOnlyList<(ObjectId Id, string RelativePath, long? Size)> Files
)
{
    public IEnumerable<ObjectId> All => Id.IsDirectory ? Files.Select(f => f.Id).Prepend(Id) : [Id];

    public static ObjectId RequireId(DvcOutput output) =>
        output.Id
        ?? throw new DvcException(
            $"{output.Source}:{output.Line}: output '{output.Path}' has no md5 yet; run AddDataset --path={output.Path} first."
        );

    /// <summary>Expands a directory output through its manifest, which must already be in the cache.</summary>
    public static OutputObjects Expand(DvcRepository repository, DvcOutput output)
    {
        var id = RequireId(output);
        if (!id.IsDirectory)
        {
            return new OutputObjects(output, id, []);
        }

        var manifest = repository.Cache.ReadManifest(id);
        return new OutputObjects(
            output,
            id,
            manifest
                .Entries.Select(e => (new ObjectId(e.Md5, IsDirectory: false, id.Legacy), e.RelativePath, (long?)null))
                .ToList()
        );
    }
}
