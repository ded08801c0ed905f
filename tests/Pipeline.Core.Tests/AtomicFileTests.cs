using Pipeline.Core.IO;
using Pipeline.Testing;

namespace Pipeline.Core.Tests;

public sealed class AtomicFileTests
{
    [Fact]
    public void Write_ThatThrows_LeavesTheOldFileAndNoTempBehind()
    {
        using var temp = new TempDirectory("atomic");
        var path = temp.Write("model.json", "old");

        Should.Throw<InvalidOperationException>(() =>
            AtomicFile.Write(
                path,
                stream =>
                {
                    stream.WriteByte((byte)'n');
                    throw new InvalidOperationException("disk full");
                }
            )
        );

        File.ReadAllText(path).ShouldBe("old");
        Directory.GetFiles(temp.Path).ShouldBe([path]);
    }

    [Fact]
    public void WriteAllText_CreatesFoldersAndReplaces()
    {
        using var temp = new TempDirectory("atomic");
        var path = temp.Combine("a", "b", "c.txt");

        AtomicFile.WriteAllText(path, "one");
        AtomicFile.WriteAllText(path, "two");

        File.ReadAllText(path).ShouldBe("two");
    }
}
