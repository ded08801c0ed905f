using Pipeline.Core.IO;
using Pipeline.DataVersioning.Hashing;

namespace Pipeline.DataVersioning.Cache;

/// <summary>
/// DVC's content-addressed cache (<c>.dvc/cache</c>): 3.x objects under <c>files/md5/</c>, legacy ones at the root.
/// An object enters only under its true hash and only whole (temp file, then rename), and is made read-only.
/// </summary>
public sealed class ObjectCache(string root)
{
    public string Root { get; } = Path.GetFullPath(root);

    public string PathOf(ObjectId id) => Path.Combine(Root, id.RelativePath);

    public bool Contains(ObjectId id) => File.Exists(PathOf(id));

    /// <summary>Copies a workspace file in, unless an object with that id is already there.</summary>
    public void AddFile(string source, ObjectId id)
    {
        var target = PathOf(id);
        if (File.Exists(target))
        {
            return;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        var temp = AtomicFile.TempPathFor(target);
        try
        {
            File.Copy(source, temp);
            Seal(temp, target);
        }
        finally
        {
            File.Delete(temp);
        }
    }

    public void AddBytes(ObjectId id, byte[] bytes)
    {
        var target = PathOf(id);
        if (!File.Exists(target))
        {
            AtomicFile.WriteAllBytes(target, bytes);
            MakeReadOnly(target);
        }
    }

    /// <summary>
    /// Fetches an object through <paramref name="download"/> into a temp file, re-hashes it and moves it into
    /// place only if the hash matches its name. DVC skips this unless <c>verify = true</c>; we never skip it.
    /// </summary>
    public async Task InsertVerifiedAsync(ObjectId id, Func<string, Task> download, string remoteDescription)
    {
        var target = PathOf(id);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        var temp = AtomicFile.TempPathFor(target);
        try
        {
            await download(temp);
            var actual = ContentHasher.HashFor(id, temp);
            if (actual != id.Md5)
            {
                throw new CorruptObjectException(id, actual, remoteDescription);
            }

            Seal(temp, target);
        }
        finally
        {
            File.Delete(temp);
        }
    }

    public DirManifest ReadManifest(ObjectId id) => DirManifest.Parse(File.ReadAllBytes(PathOf(id)), PathOf(id));

    private static void Seal(string temp, string target)
    {
        MakeReadOnly(temp);
        File.Move(temp, target, overwrite: true);
    }

    private static void MakeReadOnly(string path)
    {
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        }
        else
        {
            File.SetAttributes(path, FileAttributes.ReadOnly);
        }
    }
}

/// <summary>Remote bytes that do not hash to the object's name.</summary>
public sealed class CorruptObjectException(ObjectId id, string actualMd5, string remote)
    : Exception($"object {id.Value} from {remote} is corrupt: expected md5 {id.Md5}, got {actualMd5}")
{
    public ObjectId Id { get; } = id;

    public string ActualMd5 { get; } = actualMd5;

    public string Remote { get; } = remote;
}
