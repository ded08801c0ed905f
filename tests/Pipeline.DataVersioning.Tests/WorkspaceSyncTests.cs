using Pipeline.DataVersioning.Operations;
using Pipeline.Testing;

namespace Pipeline.DataVersioning.Tests;

/// <summary>Checkout makes the workspace exactly the recorded version, as DVC does, without losing unsaved work.</summary>
public sealed class WorkspaceSyncTests
{
    [Fact]
    public void Checkout_SwitchingAFolderBetweenVersions_LeavesExactlyThatVersionsFiles()
    {
        using var temp = new TempDirectory("sync");
        var repo = DvcRepository.Init(temp.Path);
        temp.Write("set/common.csv", "a\n");
        temp.Write("set/only-v1.csv", "v1\n");
        temp.Write("set/old/nested.csv", "v1 nested\n");
        DataAdd.Add(repo, "set");
        var v1 = File.ReadAllText(temp.Combine("set.dvc"));
        File.Delete(temp.Combine("set", "only-v1.csv"));
        Directory.Delete(temp.Combine("set", "old"), recursive: true);
        temp.Write("set/only-v2.csv", "v2\n");
        DataAdd.Add(repo, "set");
        var v2 = File.ReadAllText(temp.Combine("set.dvc"));

        File.WriteAllText(temp.Combine("set.dvc"), v1);
        var toV1 = DataCheckout.Checkout(DvcRepository.Open(temp.Path), Outputs(temp));
        var afterV1 = Files(temp.Combine("set"));
        File.WriteAllText(temp.Combine("set.dvc"), v2);
        DataCheckout.Checkout(DvcRepository.Open(temp.Path), Outputs(temp));

        toV1.Select(c => c.ToString()).ShouldBe(["M       set/"]);
        afterV1.ShouldBe(["common.csv", "old/nested.csv", "only-v1.csv"]);
        Files(temp.Combine("set")).ShouldBe(["common.csv", "only-v2.csv"]);
        Directory.Exists(temp.Combine("set", "old")).ShouldBeFalse();
    }

    [Fact]
    public void Checkout_FolderHoldsAFileNotInTheCache_RefusesWithoutForceAndKeepsIt()
    {
        using var temp = new TempDirectory("sync");
        var repo = DvcRepository.Init(temp.Path);
        temp.Write("set/a.csv", "a\n");
        DataAdd.Add(repo, "set");
        temp.Write("set/mine.csv", "unsaved work\n");

        var error = Should.Throw<DvcException>(() =>
            DataCheckout.Checkout(DvcRepository.Open(temp.Path), Outputs(temp))
        );
        var forced = DataCheckout.Checkout(DvcRepository.Open(temp.Path), Outputs(temp), force: true);

        error.Message.ShouldContain("set/mine.csv");
        error.Message.ShouldContain("--force");
        forced.Count.ShouldBe(1);
        Files(temp.Combine("set")).ShouldBe(["a.csv"]);
    }

    [Fact]
    public async Task Checkout_TempFilesAKilledRunLeft_AreRemovedAndNeverHashed()
    {
        using var temp = new TempDirectory("sync");
        var repo = DvcRepository.Init(temp.Path);
        temp.Write("set/a.csv", "a\n");
        temp.Write("data.csv", "d\n");
        DataAdd.Add(repo, "set");
        DataAdd.Add(repo, "data.csv");
        var leftInFolder = temp.Write($"set/.a.csv.{Guid.NewGuid():N}.tmp", "partial");
        var leftBeside = temp.Write($".data.csv.{Guid.NewGuid():N}.tmp", "partial");
        var notOurs = temp.Write(".notes.tmp", "a user's file");

        var statusBefore = await DataStatus.CheckAsync(DvcRepository.Open(temp.Path), null, null);
        DataCheckout.Checkout(DvcRepository.Open(temp.Path), Outputs(temp));

        statusBefore.ShouldBeEmpty();
        File.Exists(leftInFolder).ShouldBeFalse();
        File.Exists(leftBeside).ShouldBeFalse();
        File.Exists(notOurs).ShouldBeTrue();
    }

    [SkippableFact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void Checkout_OutputMarkedIsexec_RestoresTheExecuteBit()
    {
        Skip.If(OperatingSystem.IsWindows(), "Windows files have no execute bit");
        using var temp = new TempDirectory("sync");
        var repo = DvcRepository.Init(temp.Path);
        var script = temp.Write("prepare.sh", "#!/bin/sh\necho ok\n");
        File.SetUnixFileMode(script, (UnixFileMode)0b111_101_101);
        DataAdd.Add(repo, "prepare.sh");
        File.Delete(script);

        DataCheckout.Checkout(DvcRepository.Open(temp.Path), Outputs(temp));

        File.ReadAllText(temp.Combine("prepare.sh.dvc")).ShouldContain("\n  isexec: true\n");
        (File.GetUnixFileMode(script) & UnixFileMode.UserExecute).ShouldBe(UnixFileMode.UserExecute);
    }

    private static IReadOnlyList<Files.DvcOutput> Outputs(TempDirectory temp) =>
        DvcRepository.Open(temp.Path).SelectOutputs(null);

    private static string[] Files(string folder) =>
        Directory
            .EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(folder, f).Replace('\\', '/'))
            .Order(StringComparer.Ordinal)
            .ToArray();
}
