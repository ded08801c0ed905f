namespace Pipeline.Testing;

/// <summary>Fresh clones of the recorded DVC repositories: .dvc files, config and ignores only, beside a writable copy of a remote.</summary>
public static class DvcFixtures
{
    /// <summary>
    /// <c>clone/</c> holds the v3 repository without its data or cache; <c>remote/</c> is a copy of
    /// <paramref name="remote"/>, where the config's <c>url = ../../remote</c> points.
    /// </summary>
    public static string CloneV3(TempDirectory temp, string remote = "v3/remote")
    {
        var clone = temp.Combine("clone");
        Fixtures.CopyTree(Fixtures.Path("dvc", "v3", "repo"), clone);
        Directory.Delete(Path.Combine(clone, ".dvc", "cache"), recursive: true);
        Directory.Delete(Path.Combine(clone, "images"), recursive: true);
        File.Delete(Path.Combine(clone, "data", "train.csv"));
        Fixtures.CopyTree(Fixtures.Path(["dvc", .. remote.Split('/')]), temp.Combine("remote"));
        return clone;
    }

    public static string CloneLegacy(TempDirectory temp)
    {
        var clone = temp.Combine("clone");
        Fixtures.CopyTree(Fixtures.Path("dvc", "legacy-v2", "repo"), clone);
        Directory.Delete(Path.Combine(clone, ".dvc", "cache"), recursive: true);
        File.Delete(Path.Combine(clone, "data", "legacy.csv"));
        Fixtures.CopyTree(Fixtures.Path("dvc", "legacy-v2", "remote"), temp.Combine("remote"));
        return clone;
    }
}
