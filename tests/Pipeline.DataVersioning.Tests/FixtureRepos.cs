using Pipeline.DataVersioning.Operations;
using Pipeline.Testing;

namespace Pipeline.DataVersioning.Tests;

/// <summary>Fresh clones of the fixture repositories: .dvc files, config and ignores only, beside a writable copy of a remote.</summary>
internal static class FixtureRepos
{
    public const string TrainMd5 = "723ad71547f5f8f35a97a9502e8d3a9b";
    public const string ImagesId = "0a2b85d8e6320c3ae48c79ac02cfe077.dir";
    public const string CorruptMd5 = "2b6bb7e06353a97be739a705c01bc814";

    public static string CloneV3(TempDirectory temp, string remote = "v3/remote") => DvcFixtures.CloneV3(temp, remote);

    public static string CloneLegacy(TempDirectory temp) => DvcFixtures.CloneLegacy(temp);

    public static string V3Workspace(params string[] parts) => Fixtures.Path(["dvc", "v3", "repo", .. parts]);

    public static Task<PullResult> PullAsync(string clone, TransferOptions? options = null, params string[] targets) =>
        DataPull.PullAsync(DvcRepository.Open(clone), targets, options ?? new TransferOptions());

    /// <summary>Every file below a folder as "relative path md5" lines in ordinal order, for byte-for-byte comparisons of trees.</summary>
    public static string[] Snapshot(string folder) =>
        Directory.Exists(folder)
            ? Directory
                .EnumerateFiles(folder, "*", SearchOption.AllDirectories)
                .Select(f =>
                    Path.GetRelativePath(folder, f).Replace('\\', '/')
                    + " "
                    + Pipeline.DataVersioning.Hashing.ContentHasher.Md5(f)
                )
                .Order(StringComparer.Ordinal)
                .ToArray()
            : [];
}
