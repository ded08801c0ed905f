using Pipeline.DataVersioning.Files;
using Pipeline.DataVersioning.Hashing;
using Pipeline.DataVersioning.Operations;
using Pipeline.Testing;

namespace Pipeline.DataVersioning.Tests;

/// <summary>What a rewrite of an existing .dvc file keeps, as DVC 3 keeps it.</summary>
public sealed class DvcFileRewriteTests
{
    [Fact]
    public async Task Add_FileTrackedByA2xDvcFile_KeepsIt2xInTheLegacyLayout()
    {
        using var temp = new TempDirectory("rewrite");
        var clone = FixtureRepos.CloneLegacy(temp);
        await FixtureRepos.PullAsync(clone);
        var data = Path.Combine(clone, "data", "legacy.csv");
        File.AppendAllText(data, "\"one more row, with CRLF\",positive\r\n");

        var result = DataAdd.Add(DvcRepository.Open(clone), "data/legacy.csv");

        var dos2unix = ContentHasher.Md5Dos2Unix(data);
        result.Id.ShouldBe(new ObjectId(dos2unix, IsDirectory: false, Legacy: true));
        File.ReadAllText(data + ".dvc")
            .ShouldBe($"outs:\n- md5: {dos2unix}\n  size: {new FileInfo(data).Length}\n  path: legacy.csv\n");
        File.Exists(Path.Combine(clone, ".dvc", "cache", dos2unix[..2], dos2unix[2..])).ShouldBeTrue();
    }

    [Fact]
    public void Save_FileWithComments_KeepsEveryCommentWhereItWas()
    {
        using var temp = new TempDirectory("rewrite");
        var path = temp.Write(
            "train.csv.dvc",
            "# Training data: see docs/datasets.md\nouts:\n  # the one output\n- md5: 00000000000000000000000000000000 # old hash\n  size: 1\n  hash: md5\n  path: train.csv  # relative to this file\n  desc: reviews\n# trailing note\n"
        );
        var file = DvcFile.Load(path);

        file.Outs[0].SetHash(new ObjectId("723ad71547f5f8f35a97a9502e8d3a9b", false, false), 24593, null);
        file.Save();

        File.ReadAllText(path)
            .ShouldBe(
                "# Training data: see docs/datasets.md\nouts:\n# the one output\n- md5: 723ad71547f5f8f35a97a9502e8d3a9b # old hash\n  size: 24593\n  hash: md5\n  path: train.csv # relative to this file\n  desc: reviews\n# trailing note\n"
            );
    }
}
