using Pipeline.DataVersioning.Config;

namespace Pipeline.DataVersioning.Remotes;

public static class RemoteFactory
{
    public static IDvcRemote Create(RemoteConfig remote, Func<string, string?> environment) =>
        remote.Scheme switch
        {
            "local" or "file" => new LocalRemote(remote.Name, remote.ResolvedUrl),
            "http" or "https" => new HttpRemote(
                remote.Name,
                remote.Url,
                remote.Option("user"),
                remote.Option("password")
            ),
            "s3" => new S3Remote(remote.Name, remote.Url, remote.Options, environment),
            var scheme => throw new DvcException(
                $"remote '{remote.Name}': unsupported url scheme '{scheme}' in {remote.Url} (supported: local folders, http, https, s3)"
            ),
        };
}
