using System.Text;
using Pipeline.DataVersioning.Hashing;
using Pipeline.DataVersioning.Operations;
using Pipeline.Testing;

namespace Pipeline.DataVersioning.Tests;

/// <summary>
/// File names that DVC hashes its own way. The expected bytes and md5 below are what dvc-data's
/// <c>Tree.as_bytes</c> produces: <c>json.dumps(sorted(entries, key=relpath), sort_keys=True)</c>, run in CPython 3
/// on the same names, each file holding "x".
/// </summary>
public sealed class DirectoryManifestTests
{
    private const string X = "9dd4e461268c8034f5c8564e155c67a6";

    private static readonly string[] Names =
    [
        "a\\b.txt",
        "q\"uote.txt",
        "del\u007f.txt",
        "\uff46ull.txt",
        "\U0001F600.txt",
        "a-b/c.txt",
        "a/b.txt",
        "Z.txt",
        "\u00e9.txt",
        "tab\there.txt",
    ];

    private const string PythonBytes =
        "[{\"md5\": \"X\", \"relpath\": \"Z.txt\"}, {\"md5\": \"X\", \"relpath\": \"a-b/c.txt\"}, "
        + "{\"md5\": \"X\", \"relpath\": \"a/b.txt\"}, {\"md5\": \"X\", \"relpath\": \"a\\\\b.txt\"}, "
        + "{\"md5\": \"X\", \"relpath\": \"del\\u007f.txt\"}, {\"md5\": \"X\", \"relpath\": \"q\\\"uote.txt\"}, "
        + "{\"md5\": \"X\", \"relpath\": \"tab\\there.txt\"}, {\"md5\": \"X\", \"relpath\": \"\\u00e9.txt\"}, "
        + "{\"md5\": \"X\", \"relpath\": \"\\uff46ull.txt\"}, {\"md5\": \"X\", \"relpath\": \"\\ud83d\\ude00.txt\"}]";

    private const string PythonMd5 = "36739d2763afe53004b0df80823cbc22";

    [Fact]
    public void Serialize_NamesWithBackslashQuoteDelAndAstralCharacters_AreDvcsBytes()
    {
        var manifest = new DirManifest(Names.Select(n => new ManifestEntry(X, n)));

        Encoding.UTF8.GetString(manifest.Serialize()).ShouldBe(PythonBytes.Replace("\"X\"", $"\"{X}\""));
        manifest.Id().Value.ShouldBe(PythonMd5 + ".dir");
    }

    [Fact]
    public void Sort_AstralCharacterAgainstUpperBasicPlane_FollowsCodePointsNotUtf16()
    {
        var manifest = new DirManifest([new ManifestEntry(X, "\U0001F600"), new ManifestEntry(X, "\uff01")]);

        manifest.Entries.Select(e => e.RelativePath).ShouldBe(["\uff01", "\U0001F600"]);
    }

    [SkippableFact]
    public async Task Add_FolderWithSuchNames_HasDvcsDirectoryId()
    {
        Skip.If(OperatingSystem.IsWindows(), "backslashes and DEL are not allowed in Windows file names");
        using var temp = new TempDirectory("manifest");
        var repo = DvcRepository.Init(temp.Path);
        foreach (var name in Names)
        {
            temp.Write(Path.Combine("names", name), "x");
        }

        var result = DataAdd.Add(repo, "names");

        result.Id.Value.ShouldBe(PythonMd5 + ".dir");
        (await DataStatus.CheckAsync(DvcRepository.Open(temp.Path), null, null)).ShouldBeEmpty();
    }

    [SkippableFact]
    public async Task Pull_ManifestEntryWithABackslash_RestoresThatFileName()
    {
        Skip.If(OperatingSystem.IsWindows(), "a backslash is a separator on Windows");
        using var temp = new TempDirectory("manifest");
        var producer = DvcRepository.Init(temp.Combine("producer"));
        File.WriteAllText(
            Path.Combine(producer.DvcDirectory, "config"),
            "[core]\n    remote = r\n['remote \"r\"']\n    url = ../../remote\n"
        );
        producer = DvcRepository.Open(producer.Root);
        temp.Write(Path.Combine("producer", "names", "a\\b.txt"), "x");
        DataAdd.Add(producer, "names");
        await new DataTransfer(producer, new TransferOptions()).PushAsync(null);
        var consumer = temp.Combine("consumer");
        Directory.CreateDirectory(Path.Combine(consumer, ".dvc"));
        File.Copy(Path.Combine(producer.DvcDirectory, "config"), Path.Combine(consumer, ".dvc", "config"));
        File.Copy(Path.Combine(producer.Root, "names.dvc"), Path.Combine(consumer, "names.dvc"));

        await FixtureRepos.PullAsync(consumer);

        File.ReadAllText(Path.Combine(consumer, "names", "a\\b.txt")).ShouldBe("x");
    }
}
