using Cake.Core.IO;
using Pipeline.Cake.Tools.Containers;

namespace Pipeline.Delivery.Images;

/// <summary>Which container CLI builds and pushes: <c>docker</c> (default), <c>podman</c>, or a path to either.</summary>
public sealed record ContainerTool(string Executable, FilePath? ToolPath)
{
    public static ContainerTool Docker { get; } = new("docker", null);

    /// <summary>A name is looked up on PATH; anything with a slash is a path, made absolute against the working directory.</summary>
    public static ContainerTool Parse(string tool, DirectoryPath workingDirectory) =>
        tool.Contains('/', StringComparison.Ordinal)
            ? new ContainerTool(System.IO.Path.GetFileName(tool), new FilePath(tool).MakeAbsolute(workingDirectory))
            : new ContainerTool(tool, null);

    public bool IsPodman => Executable.Contains("podman", StringComparison.Ordinal);

    /// <summary>The settings of one command, run by this tool.</summary>
    public T Apply<T>(T settings)
        where T : ContainerSettings
    {
        settings.Executable = Executable;
        if (ToolPath is not null)
        {
            settings.ToolPath = ToolPath;
        }

        return settings;
    }
}
