using Cake.Common.IO;
using Cake.Common.Tools.DotNet;
using Cake.Common.Tools.DotNet.Publish;
using Cake.Core;
using Cake.Core.Diagnostics;
using Cake.Core.IO;
using Pipeline.Cake.Tools.Containers;

namespace Pipeline.Delivery.Images;

/// <param name="Images">The images to build (from the application's <see cref="ImageCatalog"/>).</param>
/// <param name="Registry">Prefix of every repository, e.g. <c>127.0.0.1:5055</c> or <c>ghcr.io/acme</c>.</param>
/// <param name="Version">The immutable tag (<c>3f1c2a9-42</c>); <c>latest</c> is added beside it.</param>
/// <param name="SourceRoot">Where the Dockerfiles and projects are (the repository).</param>
/// <param name="ModelDirectory">The extracted model, shipped in images that carry one.</param>
/// <param name="Prebuilt">Publish self-contained on the host and build the <c>runtime-prebuilt</c> stage from a small context.</param>
/// <param name="BaseImage">Overrides the runtime stage's base image.</param>
public sealed record ImageBuildRequest(
    ImageCatalog Catalog,
    IReadOnlyList<ImageSpec> Images,
    string Registry,
    string Version,
    string Revision,
    string ModelRunId,
    DirectoryPath SourceRoot,
    DirectoryPath ModelDirectory,
    DirectoryPath ArtifactsDirectory,
    ContainerTool Tool,
    bool Prebuilt = false,
    string? BaseImage = null
);

/// <summary>
/// The BuildImages stage: every requested image built with the docker or podman CLI, tagged
/// <c>&lt;registry&gt;/&lt;name&gt;:&lt;version&gt;</c> and <c>:latest</c>, labelled once for all images, its id read from
/// <c>--iidfile</c>; the list goes to <c>artifacts/images.json</c> for PushImages and Deploy.
/// </summary>
public static class ImageBuilder
{
    public const string ManifestFile = "images.json";

    /// <summary>The file every extracted model folder has, whatever the workload: MLflow's model descriptor.</summary>
    public const string ModelMarker = "MLmodel";

    public static IReadOnlyList<BuiltImage> Build(ICakeContext context, ImageBuildRequest request)
    {
        if (
            request.Images.Any(i => i.IncludesModel)
            && !context.FileSystem.Exist(request.ModelDirectory.CombineWithFilePath(ModelMarker))
        )
        {
            throw new DeliveryException(
                $"{request.ModelDirectory} has no {ModelMarker}, so it holds no extracted model; run ExtractModel (or ./build.sh) first."
            );
        }

        var useBuildX = context.ContainerHasBuildX(request.Tool.Apply(new ContainerCommandSettings()));
        context.Log.Information(
            "BuildImages: {0}",
            useBuildX ? "building with buildx" : "building with the classic builder (no buildx)"
        );
        var built = new List<BuiltImage>();
        foreach (var image in request.Images)
        {
            var repository = $"{request.Registry.TrimEnd('/')}/{image.Name}";
            var settings = Settings(request, image, repository, useBuildX);
            var buildContext = request.Prebuilt ? Stage(context, request, image) : request.SourceRoot;
            settings.File = (
                request.Prebuilt
                    ? buildContext.CombineWithFilePath("Dockerfile")
                    : request.SourceRoot.CombineWithFilePath(image.Dockerfile)
            ).FullPath;
            context.ContainerBuild(settings, buildContext.FullPath);
            var id = File.ReadAllText(settings.IidFile!).Trim();
            built.Add(new BuiltImage(image.Name, repository, [request.Version, "latest"], id));
            context.Log.Information("BuildImages: {0}:{1} ({2})", repository, request.Version, id);
        }

        ImageManifest.Write(request.ArtifactsDirectory.CombineWithFilePath(ManifestFile).FullPath, built);
        return built;
    }

    private static ContainerBuildSettings Settings(
        ImageBuildRequest request,
        ImageSpec image,
        string repository,
        bool useBuildX
    )
    {
        var settings = request.Tool.Apply(new ContainerBuildSettings { Network = "host" });
        if (settings.IsPodman)
        {
            settings.Format = "docker"; // the OCI format would drop the HEALTHCHECK
        }
        else if (useBuildX)
        {
            settings.UseBuildX = settings.Load = true; // --load: PushImages pushes from the local image store
        }

        settings.Tags.Add($"{repository}:{request.Version}");
        settings.Tags.Add($"{repository}:latest");
        foreach (
            var (label, value) in request.Catalog.Labels(image, request.Version, request.Revision, request.ModelRunId)
        )
        {
            settings.Labels[label] = value;
        }

        settings.IidFile = request.ArtifactsDirectory.CombineWithFilePath($"{image.Name}.iid").FullPath;
        settings.Target = request.Prebuilt ? "runtime-prebuilt" : "runtime";
        if (request.BaseImage is { Length: > 0 } baseImage)
        {
            settings.BuildArgs[request.Prebuilt ? "PREBUILT_BASE_IMAGE" : "BASE_IMAGE"] = baseImage;
        }

        return settings;
    }

    /// <summary>A small context for prebuilt images: the self-contained app, the model and the Dockerfile.</summary>
    private static DirectoryPath Stage(ICakeContext context, ImageBuildRequest request, ImageSpec image)
    {
        var staging = request.ArtifactsDirectory.Combine("image-context").Combine(image.Name);
        context.CleanDirectory(staging);
        context.DotNetPublish(
            request.SourceRoot.CombineWithFilePath(image.Project).FullPath,
            new DotNetPublishSettings
            {
                Configuration = "Release",
                Runtime = "linux-x64",
                SelfContained = true,
                OutputDirectory = staging.Combine("app"),
            }
        );
        if (image.IncludesModel)
        {
            context.CopyDirectory(request.ModelDirectory, staging.Combine("model"));
        }

        context.CopyFile(
            request.SourceRoot.CombineWithFilePath(image.Dockerfile),
            staging.CombineWithFilePath("Dockerfile")
        );
        return staging;
    }
}
