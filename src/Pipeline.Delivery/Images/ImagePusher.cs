using Cake.Core;
using Cake.Core.Diagnostics;
using Cake.Core.IO;
using Pipeline.Cake.Tools.Containers;

namespace Pipeline.Delivery.Images;

/// <summary>Registry credentials; the password only ever reaches the CLI on standard input.</summary>
public sealed record RegistryCredentials(string Username, string Password)
{
    /// <summary><c>REGISTRY_USERNAME</c> and <c>REGISTRY_PASSWORD</c> (what the CI files bind), or none.</summary>
    public static RegistryCredentials? FromEnvironment(Func<string, string?> variable) =>
        variable("REGISTRY_USERNAME") is { Length: > 0 } user
        && variable("REGISTRY_PASSWORD") is { Length: > 0 } password
            ? new RegistryCredentials(user, password)
            : null;
}

/// <summary>
/// The PushImages stage: logs in to each image's registry when credentials are given, pushes every tag, and records
/// each image's digest in <c>artifacts/images.json</c>, which Deploy reads to roll out by digest.
/// </summary>
public static class ImagePusher
{
    public static IReadOnlyList<BuiltImage> Push(
        ICakeContext context,
        IReadOnlyList<BuiltImage> images,
        ContainerTool tool,
        RegistryCredentials? credentials,
        DirectoryPath artifacts
    )
    {
        var pushed = new List<BuiltImage>();
        foreach (var registry in images.Select(i => i.Registry).Distinct(StringComparer.Ordinal))
        {
            if (credentials is not null)
            {
                context.ContainerLogin(
                    tool.Apply(
                        new ContainerLoginSettings
                        {
                            Username = credentials.Username,
                            Password = credentials.Password,
                            TlsVerify = TlsVerify(tool, registry),
                        }
                    ),
                    registry
                );
            }
        }

        foreach (var image in images)
        {
            string? digest = null;
            foreach (var tag in image.Tags)
            {
                var digestFile = artifacts.CombineWithFilePath($"{image.Name}.{tag}.digest").FullPath;
                context.ContainerPush(
                    tool.Apply(
                        new ContainerPushSettings
                        {
                            TlsVerify = TlsVerify(tool, image.Registry),
                            DigestFile = tool.IsPodman ? digestFile : null,
                        }
                    ),
                    $"{image.Repository}:{tag}"
                );
                digest ??=
                    tool.IsPodman && File.Exists(digestFile)
                        ? File.ReadAllText(digestFile).Trim()
                        : context.ContainerImageDigest(
                            tool.Apply(new ContainerCommandSettings()),
                            $"{image.Repository}:{tag}"
                        );
            }

            pushed.Add(image with { Digest = digest });
            context.Log.Information("PushImages: {0}", pushed[^1].DeployReference);
        }

        ImageManifest.Write(artifacts.CombineWithFilePath(ImageBuilder.ManifestFile).FullPath, pushed);
        return pushed;
    }

    // podman needs to be told a loopback registry is plain HTTP; docker treats 127.0.0.0/8 as insecure already.
    private static bool? TlsVerify(ContainerTool tool, string registry) =>
        tool.IsPodman && ImageManifest.IsInsecure(registry) ? false : null;
}
