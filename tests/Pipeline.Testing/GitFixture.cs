using Pipeline.Cake.Git;

namespace Pipeline.Testing;

/// <summary>A real git repository in a temp folder with one commit.</summary>
public static class GitFixture
{
    public static GitRepository InitWithCommit(string directory, string file = "README.md", string contents = "hello\n")
    {
        var git = new GitRepository(directory);
        git.Run("init", "-q", "-b", "main");
        File.WriteAllText(Path.Combine(directory, file), contents);
        Commit(git, "initial");
        return git;
    }

    public static string Commit(GitRepository git, string message)
    {
        git.Run("add", "-A");
        git.Run(
            "-c",
            "user.name=Pipeline Tests",
            "-c",
            "user.email=tests@pipeline.invalid",
            "commit",
            "-q",
            "-m",
            message
        );
        return git.HeadCommit!;
    }
}
