namespace Pipeline.Build.Arguments;

/// <summary>How the service images are built and where they go.</summary>
public static class ImageArguments
{
    public static readonly BuildArgument<string> Registry = new(
        "registry",
        "127.0.0.1:5055",
        "the registry (and path) every image repository lives under",
        "HOST[/PATH]"
    );

    public static readonly BuildArgument<string> ImageTool = new(
        "image-tool",
        "docker",
        "the container CLI: docker, podman, or a path to either",
        "TOOL"
    );

    public static readonly BuildArgument<string> BaseImage = new(
        "base-image",
        string.Empty,
        "the runtime stage's base image (e.g. a chiseled image)",
        "IMAGE"
    );

    public static readonly BuildFlag Prebuilt = new(
        "prebuilt",
        "publish self-contained on the host and build from a small context (no SDK image)"
    );

    public static readonly RepeatableArgument Image = new(
        "image",
        "build only this image of config/images.json",
        "NAME"
    );
}
