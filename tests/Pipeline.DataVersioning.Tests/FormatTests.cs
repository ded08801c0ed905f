using System.Text;
using Pipeline.DataVersioning.Config;
using Pipeline.DataVersioning.Files;
using Pipeline.DataVersioning.Hashing;
using Pipeline.DataVersioning.Operations;
using Pipeline.Testing;

namespace Pipeline.DataVersioning.Tests;

public sealed class FormatTests
{
    [Fact]
    public void Md5Dos2Unix_ReferenceExample_MatchesDvc()
    {
        var bytes = Encoding.ASCII.GetBytes("a,b\n1,2\r\n3,4\n");

        ContentHasher.Md5(bytes).ShouldBe("4ca2a71c648fc0b965c23a7e1b6a907f");
        ContentHasher.Md5Dos2Unix(new MemoryStream(bytes)).ShouldBe("c3c6bc2ae8ece4bd2510dca21225c041");
    }

    [Fact]
    public void Md5Dos2Unix_LegacyFixture_IsTheIdInItsDvcFile()
    {
        var path = Fixtures.Path("dvc", "legacy-v2", "repo", "data", "legacy.csv");

        ContentHasher.Md5(path).ShouldBe("1121316611075f3cdaa3a6ba7cc185f0");
        ContentHasher.Md5Dos2Unix(path).ShouldBe("6bb327b97ba6a6083b01b36abb783441");
    }

    [Fact]
    public void Md5Dos2Unix_BinaryChunk_IsHashedAsIs()
    {
        var bytes = new byte[] { 0, 13, 10, 1, 2, 13, 10 };

        ContentHasher.Md5Dos2Unix(new MemoryStream(bytes)).ShouldBe(ContentHasher.Md5(bytes));
    }

    [Theory]
    [InlineData("", true)]
    [InlineData("plain text\r\n", true)]
    [InlineData("has\0nul", false)]
    public void IsText_FollowsDvcsRule(string text, bool expected) =>
        ContentHasher.IsText(Encoding.Latin1.GetBytes(text)).ShouldBe(expected);

    [Fact]
    public void IsText_MoreThanThirtyPercentHighBytes_IsBinary()
    {
        var block = Enumerable.Repeat((byte)'a', 69).Concat(Enumerable.Repeat((byte)0xE9, 31)).ToArray();

        ContentHasher.IsText(block).ShouldBeFalse();
        ContentHasher.IsText(block.AsSpan(1)).ShouldBeFalse();
        ContentHasher
            .IsText(Enumerable.Repeat((byte)'a', 70).Concat(Enumerable.Repeat((byte)0xE9, 30)).ToArray())
            .ShouldBeTrue();
    }

    [Fact]
    public void Manifest_NonAsciiAndControlCharacters_AreEscapedLikePythonJson()
    {
        var manifest = new DirManifest([new ManifestEntry("d41d8cd98f00b204e9800998ecf8427e", "café/\"q\"\t😀.txt")]);

        Encoding
            .UTF8.GetString(manifest.Serialize())
            .ShouldBe(
                "[{\"md5\": \"d41d8cd98f00b204e9800998ecf8427e\", \"relpath\": \"caf\\u00e9/\\\"q\\\"\\t\\ud83d\\ude00.txt\"}]"
            );
    }

    [Fact]
    public void Manifest_Entries_AreSortedByOrdinalRelpathWithinTheBasicPlane()
    {
        var manifest = new DirManifest([
            new ManifestEntry("b", "empty.txt"),
            new ManifestEntry("a", "Logo.pgm"),
            new ManifestEntry("c", "Z/x"),
        ]);

        manifest.Entries.Select(e => e.RelativePath).ShouldBe(["Logo.pgm", "Z/x", "empty.txt"]);
    }

    [Fact]
    public void SetHash_OnAFileWithUnknownKeys_KeepsThemAndDvcsKeyOrder()
    {
        using var temp = new TempDirectory("format");
        var path = temp.Write(
            "train.csv.dvc",
            "md5: 1234\nouts:\n- path: train.csv\n  desc: the training set\n  custom_key: kept\n  md5: 00000000000000000000000000000000\n  remote: backup\nfrozen: true\n"
        );
        var file = DvcFile.Load(path);

        file.Outs[0].SetHash(new ObjectId("723ad71547f5f8f35a97a9502e8d3a9b", false, false), 24593, null);
        file.Save();

        File.ReadAllText(path)
            .ShouldBe(
                "md5: 1234\nouts:\n- md5: 723ad71547f5f8f35a97a9502e8d3a9b\n  size: 24593\n  hash: md5\n  path: train.csv\n  desc: the training set\n  remote: backup\n  custom_key: kept\nfrozen: true\n"
            );
    }

    [Fact]
    public void Serialize_ValuesThatWouldNotReadBackAsStrings_AreQuoted()
    {
        using var temp = new TempDirectory("format");
        var file = DvcFile.Create(temp.Combine("x.dvc"), "yes");
        file.Outs[0].SetHash(new ObjectId("12345678901234567890123456789012", false, false), 1, null);

        file.Serialize()
            .ShouldBe("outs:\n- md5: '12345678901234567890123456789012'\n  size: 1\n  hash: md5\n  path: 'yes'\n");
        DvcFile.Load(WriteAndReturn(temp, file)).Outs[0].Id!.Md5.ShouldBe("12345678901234567890123456789012");
    }

    [Fact]
    public void Config_RelativeUrl_ResolvesAgainstTheConfigFilesFolder()
    {
        using var temp = new TempDirectory("config");
        temp.Write(
            "repo/.dvc/config",
            "[core]\n    remote = LocalRemote\n['remote \"localremote\"']\n    url = ../../remote\n    verify = true\n"
        );

        var remote = DvcConfig.Load(temp.Combine("repo", ".dvc")).ResolveRemote(null, "test");

        remote.Name.ShouldBe("localremote");
        remote.ResolvedUrl.ShouldBe(temp.Combine("remote"));
        remote.Verify.ShouldBeTrue();
    }

    [Fact]
    public void Config_LocalFile_OverridesTheRepositoryConfig()
    {
        using var temp = new TempDirectory("config");
        temp.Write(
            ".dvc/config",
            "[core]\n    remote = s3\n['remote \"s3\"']\n    url = s3://bucket/data\n    endpointurl = http://minio:9000\n"
        );
        temp.Write(
            ".dvc/config.local",
            "['remote \"s3\"']\n    access_key_id = \"AKIA\"\n    endpointurl = http://127.0.0.1:4568\n"
        );

        var remote = DvcConfig.Load(temp.Combine(".dvc")).ResolveRemote("s3", "test");

        remote.Url.ShouldBe("s3://bucket/data");
        remote.Option("endpointurl").ShouldBe("http://127.0.0.1:4568");
        remote.Option("access_key_id").ShouldBe("AKIA");
        remote.Scheme.ShouldBe("s3");
    }

    [Fact]
    public void Config_MalformedLine_NamesFileAndLine()
    {
        using var temp = new TempDirectory("config");
        var path = temp.Write(".dvc/config", "[core]\n    remote = a\nnot a setting\n");

        Should.Throw<DvcException>(() => DvcConfig.Load(temp.Combine(".dvc"))).Message.ShouldStartWith($"{path}:3:");
    }

    [Theory]
    [InlineData("*.tmp", "data/x.tmp", false, true)]
    [InlineData("*.tmp", "x.tmp", false, true)]
    [InlineData("/build", "build", true, true)]
    [InlineData("/build", "src/build", true, false)]
    [InlineData("logs/", "logs", false, false)]
    [InlineData("logs/", "a/logs/x.txt", false, true)]
    [InlineData("data/**/raw", "data/a/b/raw", true, true)]
    [InlineData("**/cache", "x/cache/y", false, true)]
    [InlineData("?.csv", "a.csv", false, true)]
    [InlineData("?.csv", "ab.csv", false, false)]
    public void DvcIgnore_Patterns_FollowGitignoreRules(string pattern, string path, bool isDirectory, bool ignored)
    {
        var ignore = new DvcIgnore();
        ignore.AddPattern(pattern);

        ignore.IsIgnored(path, isDirectory).ShouldBe(ignored);
    }

    [Fact]
    public void DvcIgnore_Negation_ReincludesUnlessTheFolderIsIgnored()
    {
        var ignore = new DvcIgnore();
        ignore.AddPattern("# comment");
        ignore.AddPattern("*.csv");
        ignore.AddPattern("!keep.csv");
        ignore.AddPattern("secret/");

        ignore.IsIgnored("a.csv", false).ShouldBeTrue();
        ignore.IsIgnored("keep.csv", false).ShouldBeFalse();
        ignore.IsIgnored("secret/keep.csv", false).ShouldBeTrue();
    }

    [Fact]
    public void Add_Directory_SkipsWhatDvcIgnoreIgnores()
    {
        using var temp = new TempDirectory("format");
        var repo = DvcRepository.Init(temp.Path);
        temp.Write("images/a.txt", "a");
        temp.Write("images/scratch.tmp", "scratch");
        File.AppendAllText(temp.Combine(".dvcignore"), "*.tmp\n");
        repo = DvcRepository.Open(temp.Path);

        var result = DataAdd.Add(repo, "images");

        result.FileCount.ShouldBe(1);
        repo.Cache.ReadManifest(result.Id).Entries.Select(e => e.RelativePath).ShouldBe(["a.txt"]);
    }

    [Fact]
    public void Add_OutsideGit_WritesNoGitignore()
    {
        using var temp = new TempDirectory("format");
        var repo = DvcRepository.Init(temp.Path);
        temp.Write("data.csv", "x\n");

        DataAdd.Add(repo, "data.csv");

        File.Exists(temp.Combine(".gitignore")).ShouldBeFalse();
        File.Exists(temp.Combine("data.csv.dvc")).ShouldBeTrue();
    }

    [Fact]
    public void Add_MissingPath_FailsNamingTheFlag()
    {
        using var temp = new TempDirectory("format");
        var repo = DvcRepository.Init(temp.Path);

        Should
            .Throw<DvcException>(() => DataAdd.Add(repo, "nope.csv"))
            .Message.ShouldContain("--path: 'nope.csv' does not exist");
    }

    private static string WriteAndReturn(TempDirectory temp, DvcFile file)
    {
        file.Save();
        return file.Path;
    }
}
