using Pipeline.Testing;

namespace Pipeline.Build.Tests;

/// <summary>Copies the repository's k8s/ into a test folder, so the dev overlay's git-ignored secrets.env never lands in the working tree.</summary>
internal static class K8sCopy
{
    public static void Into(string destination, bool withSecrets)
    {
        Fixtures.CopyTree(Path.Combine(Fixtures.RepositoryRoot, "k8s"), destination);
        var secrets = Path.Combine(destination, "overlays", "dev", "secrets.env");
        File.Delete(secrets);
        if (withSecrets)
        {
            File.WriteAllText(
                secrets,
                "username=reviews\npassword=test-only\nconnection-string=Host=reviews-db;Password=test-only\n"
            );
        }
    }
}
