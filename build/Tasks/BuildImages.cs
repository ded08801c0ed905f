using Cake.Common.Tools.DotNet;
using Cake.Common.Tools.DotNet.Publish;
using Pipeline.Cake.Images;
using Pipeline.Cake.Tools.Containers;
using Pipeline.Tracking;

namespace Pipeline.Build.Tasks;

[TaskName("BuildImages")]
[TaskDescription("Builds every service image with the extracted model, tagged <registry>/<name>:<version> and :latest (--registry, --image-tool=docker|podman|path, --base-image, --prebuilt to publish on the host).")]
[IsDependentOn(typeof(ExtractModel))]
public sealed class BuildImages : FrostingTask<BuildContext>
{
    public override void Run(BuildContext context)
    {
        var model = context.Artifacts.Combine("model");
        if (!context.FileExists(model.CombineWithFilePath("model.zip")))
        {
            throw new InvalidOperationException($"BuildImages: {model} has no model.zip; run ExtractModel (or ./build.sh) first.");
        }

        var registry = context.Argument("registry", "127.0.0.1:5055").TrimEnd('/');
        var prebuilt = context.HasArgument("prebuilt");
        var baseImage = context.Argument("base-image", string.Empty);
        var runId = context.Model?.RunId ?? ModelExtractor.ReadLineage(model.FullPath, "run_id") ?? "unknown";
        var useBuildX = context.ContainerHasBuildX(context.ContainerSettings(new ContainerCommandSettings()));
        context.Information("BuildImages: {0}", useBuildX ? "building with buildx" : "building with the classic builder (no buildx)");
        var built = new List<BuiltImage>();
        foreach (var image in ImageSpec.Select([.. context.Arguments.GetArguments("image")]))
        {
            var repository = $"{registry}/{image.Name}";
            var settings = context.ContainerSettings(new ContainerBuildSettings { Network = "host" });
            if (settings.IsPodman)
            {
                settings.Format = "docker"; // the OCI format would drop the HEALTHCHECK
            }
            else if (useBuildX)
            {
                settings.UseBuildX = settings.Load = true; // --load: PushImages pushes from the local image store
            }

            settings.Tags.Add($"{repository}:{context.Version.Version}");
            settings.Tags.Add($"{repository}:latest");
            foreach (var (label, value) in ImageSpec.Labels(image, context.Version.Version, context.Version.Commit, runId))
            {
                settings.Labels[label] = value;
            }

            settings.IidFile = context.Artifacts.CombineWithFilePath($"{image.Name}.iid").FullPath;
            var buildContext = prebuilt ? Stage(context, image, model) : context.SourceRoot;
            settings.File = (prebuilt ? buildContext.CombineWithFilePath("Dockerfile") : context.SourceRoot.CombineWithFilePath(image.Dockerfile)).FullPath;
            settings.Target = prebuilt ? "runtime-prebuilt" : "runtime";
            if (baseImage.Length > 0)
            {
                settings.BuildArgs[prebuilt ? "PREBUILT_BASE_IMAGE" : "BASE_IMAGE"] = baseImage;
            }

            context.ContainerBuild(settings, buildContext.FullPath);
            var id = File.ReadAllText(settings.IidFile).Trim();
            built.Add(new BuiltImage(image.Name, repository, [context.Version.Version, "latest"], id));
            context.Information("BuildImages: {0}:{1} ({2})", repository, context.Version.Version, id);
        }

        context.Images = built;
        ImageManifest.Write(context.ImagesFile.FullPath, built);
        context.Summary.SetSection("Images", string.Join('\n', built.Select(i => $"- `{i.Repository}:{i.Tags[0]}` image `{i.ImageId}`")));
    }

    /// <summary>A small context for prebuilt images: the self-contained app, the model and the Dockerfile.</summary>
    private static DirectoryPath Stage(BuildContext context, ImageSpec image, DirectoryPath model)
    {
        var staging = context.Artifacts.Combine("image-context").Combine(image.Name);
        context.CleanDirectory(staging);
        context.DotNetPublish(context.SourceRoot.CombineWithFilePath(image.Project).FullPath, new DotNetPublishSettings
        {
            Configuration = "Release",
            Runtime = "linux-x64",
            SelfContained = true,
            OutputDirectory = staging.Combine("app"),
        });
        if (image.IncludesModel)
        {
            context.CopyDirectory(model, staging.Combine("model"));
        }

        context.CopyFile(context.SourceRoot.CombineWithFilePath(image.Dockerfile), staging.CombineWithFilePath("Dockerfile"));
        return staging;
    }
}
