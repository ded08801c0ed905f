using Pipeline.DataVersioning.Hashing;
using Pipeline.DataVersioning.Operations;
using Pipeline.Testing;

namespace Pipeline.DataVersioning.Tests;

/// <summary>What DVC reads besides the repository's own .dvc files and config, and where it looks for them.</summary>
public sealed class RepositoryDiscoveryTests
{
    [Fact]
    public async Task Pull_StageOutputsInDvcLock_AreRestoredIntoTheStagesWdir()
    {
        using var temp = new TempDirectory("discovery");
        var producer = NewRepoWithLocalRemote(temp.Combine("producer"), "../../remote");
        var model = temp.Write("producer/pipeline/out/model.bin", "weights");
        var report = temp.Write("producer/pipeline/out/report.txt", "not cached");
        var id = new ObjectId(ContentHasher.Md5(model), false, false);
        producer.Cache.AddFile(model, id);
        temp.Write(
            "producer/pipeline/dvc.yaml",
            "stages:\n  train:\n    wdir: out\n    cmd: ./train\n    outs:\n    - model.bin\n    - report.txt:\n        cache: false\n"
        );
        temp.Write(
            "producer/pipeline/dvc.lock",
            $"schema: '2.0'\nstages:\n  train:\n    cmd: ./train\n    outs:\n    - path: model.bin\n      hash: md5\n      md5: {id.Md5}\n      size: 7\n"
                + $"    - path: report.txt\n      hash: md5\n      md5: {ContentHasher.Md5(report)}\n      size: 10\n"
        );
        var pushed = await new DataTransfer(DvcRepository.Open(producer.Root), new TransferOptions()).PushAsync(null);
        var consumer = NewRepoWithLocalRemote(temp.Combine("consumer"), "../../remote");
        Directory.CreateDirectory(Path.Combine(consumer.Root, "pipeline"));
        foreach (var name in new[] { "dvc.yaml", "dvc.lock" })
        {
            File.Copy(Path.Combine(producer.Root, "pipeline", name), Path.Combine(consumer.Root, "pipeline", name));
        }

        var pulled = await DataPull.PullAsync(DvcRepository.Open(consumer.Root), ["train"], new TransferOptions());

        pushed.Pushed.ShouldBe(1);
        pulled.Changes.Select(c => c.ToString()).ShouldBe(["A       pipeline/out/model.bin"]);
        File.ReadAllText(Path.Combine(consumer.Root, "pipeline", "out", "model.bin")).ShouldBe("weights");
    }

    [Theory]
    [InlineData("bin")]
    [InlineData("obj")]
    [InlineData("artifacts")]
    [InlineData("node_modules")]
    public void LoadOutputs_DvcFileInAFolderNamedLikeBuildOutput_IsFoundAsDvcFindsIt(string folder)
    {
        using var temp = new TempDirectory("discovery");
        var repo = DvcRepository.Init(temp.Path);
        temp.Write($"{folder}/data.csv", "x\n");
        DataAdd.Add(repo, $"{folder}/data.csv");

        DvcRepository.Open(temp.Path).LoadOutputs().Select(o => o.Path).ShouldBe(["data.csv"]);
        File.AppendAllText(temp.Combine(".dvcignore"), $"{folder}/\n");
        DvcRepository.Open(temp.Path).LoadOutputs().ShouldBeEmpty();
    }

    [Fact]
    public void Config_GlobalAndSystemLevels_AreMergedUnderTheRepositorysOwn()
    {
        using var temp = new TempDirectory("discovery");
        var system = temp.Write(
            "system/config",
            "[core]\n    remote = shared\n['remote \"shared\"']\n    url = /srv/system\n"
        );
        var global = temp.Write("global/config", "['remote \"shared\"']\n    url = ../store\n");
        var repo = DvcRepository.Init(temp.Combine("repo"));
        var environment = new Dictionary<string, string?>
        {
            ["DVC_SYSTEM_CONFIG_DIR"] = Path.GetDirectoryName(system),
            ["DVC_GLOBAL_CONFIG_DIR"] = Path.GetDirectoryName(global),
        };

        var config = DvcRepository.Open(repo.Root, environment.GetValueOrDefault).Config;
        File.WriteAllText(
            Path.Combine(repo.DvcDirectory, "config"),
            "[core]\n    remote = mine\n['remote \"mine\"']\n    url = /srv/mine\n"
        );
        var overridden = DvcRepository.Open(repo.Root, environment.GetValueOrDefault).Config;

        var remote = config.ResolveRemote(null, "test");
        remote.Name.ShouldBe("shared");
        remote.ResolvedUrl.ShouldBe(temp.Combine("store"));
        overridden.ResolveRemote(null, "test").Name.ShouldBe("mine");
    }

    [SkippableFact]
    public void GlobalDirectory_OnLinux_FollowsXdgLikePlatformdirs()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "the XDG layout is Linux's");
        var environment = new Dictionary<string, string?> { ["HOME"] = "/home/ada" };

        Config.DvcConfig.GlobalDirectory(environment.GetValueOrDefault).ShouldBe("/home/ada/.config/dvc");
        environment["XDG_CONFIG_HOME"] = "/cfg";
        Config.DvcConfig.GlobalDirectory(environment.GetValueOrDefault).ShouldBe("/cfg/dvc");
        Config.DvcConfig.SystemDirectory(environment.GetValueOrDefault).ShouldBe("/etc/xdg/dvc");
    }

    private static DvcRepository NewRepoWithLocalRemote(string root, string url)
    {
        var repo = DvcRepository.Init(root);
        File.WriteAllText(
            Path.Combine(repo.DvcDirectory, "config"),
            $"[core]\n    remote = r\n['remote \"r\"']\n    url = {url}\n"
        );
        return DvcRepository.Open(root);
    }
}
