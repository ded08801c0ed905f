using Pipeline.Cake.Images;
using Pipeline.Cake.Tools.Containers;

namespace Pipeline.Build.Tasks;

[TaskName("PushImages")]
[TaskDescription("Logs in (REGISTRY_USERNAME/REGISTRY_PASSWORD) and pushes the built images; records their digests in artifacts/images.json for Deploy.")]
[IsDependentOn(typeof(BuildImages))]
public sealed class PushImages : FrostingTask<BuildContext>
{
    public override void Run(BuildContext context)
    {
        var images = context.Images ?? ImageManifest.Read(context.ImagesFile.FullPath);
        var podman = context.ContainerSettings(new ContainerCommandSettings()).IsPodman;
        var pushed = new List<BuiltImage>();
        foreach (var image in images)
        {
            var registry = image.Repository[..image.Repository.IndexOf('/', StringComparison.Ordinal)];
            var insecure = ImageManifest.IsInsecure(registry);
            if (context.Environment.GetEnvironmentVariable("REGISTRY_USERNAME") is { Length: > 0 } user &&
                context.Environment.GetEnvironmentVariable("REGISTRY_PASSWORD") is { Length: > 0 } password)
            {
                context.ContainerLogin(context.ContainerSettings(new ContainerLoginSettings { Username = user, Password = password, TlsVerify = podman && insecure ? false : null }), registry);
            }

            string? digest = null;
            foreach (var tag in image.Tags)
            {
                var digestFile = context.Artifacts.CombineWithFilePath($"{image.Name}.{tag}.digest").FullPath;
                context.ContainerPush(context.ContainerSettings(new ContainerPushSettings
                {
                    TlsVerify = podman && insecure ? false : null,
                    DigestFile = podman ? digestFile : null,
                }), $"{image.Repository}:{tag}");
                digest ??= podman && File.Exists(digestFile)
                    ? File.ReadAllText(digestFile).Trim()
                    : context.ContainerImageDigest(context.ContainerSettings(new ContainerCommandSettings()), $"{image.Repository}:{tag}");
            }

            pushed.Add(image with { Digest = digest });
            context.Information("PushImages: {0}", pushed[^1].DeployReference);
        }

        context.Images = pushed;
        ImageManifest.Write(context.ImagesFile.FullPath, pushed);
        context.Summary.SetSection("Images", string.Join('\n', pushed.Select(i => $"- `{i.DeployReference}` (tags {string.Join(", ", i.Tags)})")));
    }
}
