using System.Diagnostics;
using Cake.Core;
using Cake.Core.Diagnostics;

namespace Pipeline.Cake.Tools.Containers;

/// <summary>The container commands the image stages use, as Cake aliases over <see cref="CliTool{TSettings}"/>.</summary>
public static class ContainerAliases
{
    public static void ContainerBuild(this ICakeContext context, ContainerBuildSettings settings, string contextPath) =>
        Tool<ContainerBuildSettings>(context).Execute(settings, ContainerArguments.Build(settings, contextPath));

    public static void ContainerTag(
        this ICakeContext context,
        ContainerCommandSettings settings,
        string source,
        string target
    ) => Tool<ContainerCommandSettings>(context).Execute(settings, ContainerArguments.Tag(source, target));

    public static void ContainerPush(this ICakeContext context, ContainerPushSettings settings, string image) =>
        Tool<ContainerPushSettings>(context).Execute(settings, ContainerArguments.Push(settings, image));

    /// <summary>Whether docker's buildx plugin is installed (<c>docker buildx version</c> succeeds); podman has no buildx of its own.</summary>
    public static bool ContainerHasBuildX(this ICakeContext context, ContainerCommandSettings settings) =>
        !settings.IsPodman
        && Tool<ContainerCommandSettings>(context)
            .RunForExitCode(settings, ContainerArguments.BuildXVersion(), quiet: true) == 0;

    public static string ContainerImageDigest(
        this ICakeContext context,
        ContainerCommandSettings settings,
        string image
    ) => Tool<ContainerCommandSettings>(context).RunWithOutput(settings, ContainerArguments.InspectDigest(image));

    /// <summary>Logs in with the password on standard input; the log shows the command with no secret in it.</summary>
    public static void ContainerLogin(this ICakeContext context, ContainerLoginSettings settings, string registry)
    {
        var tool = Tool<ContainerLoginSettings>(context).Resolve(settings);
        var arguments = ContainerArguments.Login(settings, registry);
        context.Log.Verbose("Executing: {0} {1}", tool.FullPath, arguments.RenderSafe());
        var start = new ProcessStartInfo(tool.FullPath, arguments.Render())
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start)!;
        process.StandardInput.Write(settings.Password);
        process.StandardInput.Close();
        var error = process.StandardError.ReadToEndAsync();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new CakeException(
                process.ExitCode,
                $"{settings.Executable} login {registry} failed (exit code {process.ExitCode}): {error.Result.Trim()}"
            );
        }
    }

    private static CliTool<T> Tool<T>(ICakeContext context)
        where T : ContainerSettings =>
        new(context.FileSystem, context.Environment, context.ProcessRunner, context.Tools);
}
