namespace Pipeline.Cake.BuildServers;

public enum BuildServerKind
{
    Local,
    Jenkins,
    GitHubActions,
}
