using Cake.Core;
using Cake.Core.IO;

namespace Pipeline.Cake.Tools.Containers;

/// <summary>
/// How each command's settings become a command line, in the order Cake.Docker writes them: command words, flags,
/// then positional arguments. Values are quoted; the password is never rendered (login reads it from stdin).
/// </summary>
public static class ContainerArguments
{
    public static ProcessArgumentBuilder Build(ContainerBuildSettings settings, string contextPath)
    {
        var args = new ProcessArgumentBuilder();
        args.Append(settings.UseBuildX ? "buildx build" : "image build");
        foreach (var (name, value) in settings.BuildArgs)
        {
            args.AppendSwitchQuoted("--build-arg", $"{name}={value}");
        }

        if (settings.File is { Length: > 0 } file)
        {
            args.AppendSwitchQuoted("--file", file);
        }

        if (settings.Format is { Length: > 0 } format)
        {
            args.AppendSwitchQuoted("--format", format);
        }

        if (settings.IidFile is { Length: > 0 } iid)
        {
            args.AppendSwitchQuoted("--iidfile", iid);
        }

        foreach (var (name, value) in settings.Labels)
        {
            args.AppendSwitchQuoted("--label", $"{name}={value}");
        }

        if (settings.Load)
        {
            args.Append("--load");
        }

        if (settings.Network is { Length: > 0 } network)
        {
            args.AppendSwitchQuoted("--network", network);
        }

        if (settings.NoCache)
        {
            args.Append("--no-cache");
        }

        if (settings.Platform is { Length: > 0 } platform)
        {
            args.AppendSwitchQuoted("--platform", platform);
        }

        if (settings.Pull)
        {
            args.Append("--pull");
        }

        foreach (var tag in settings.Tags)
        {
            args.AppendSwitchQuoted("--tag", tag);
        }

        if (settings.Target is { Length: > 0 } target)
        {
            args.AppendSwitchQuoted("--target", target);
        }

        return args.AppendQuoted(contextPath);
    }

    public static ProcessArgumentBuilder Tag(string source, string target) =>
        new ProcessArgumentBuilder().Append("tag").AppendQuoted(source).AppendQuoted(target);

    public static ProcessArgumentBuilder Push(ContainerPushSettings settings, string image)
    {
        var args = new ProcessArgumentBuilder().Append("push");
        if (settings.DigestFile is { Length: > 0 } digest)
        {
            args.AppendSwitchQuoted("--digestfile", digest);
        }

        if (settings.TlsVerify is { } verify)
        {
            args.Append($"--tls-verify={(verify ? "true" : "false")}");
        }

        return args.AppendQuoted(image);
    }

    public static ProcessArgumentBuilder Login(ContainerLoginSettings settings, string registry)
    {
        var args = new ProcessArgumentBuilder()
            .Append("login")
            .AppendSwitchQuoted("--username", settings.Username)
            .Append("--password-stdin");
        if (settings.TlsVerify is { } verify)
        {
            args.Append($"--tls-verify={(verify ? "true" : "false")}");
        }

        return args.AppendQuoted(registry);
    }

    public static ProcessArgumentBuilder BuildXVersion() => new ProcessArgumentBuilder().Append("buildx version");

    public static ProcessArgumentBuilder InspectDigest(string image) =>
        new ProcessArgumentBuilder()
            .Append("image inspect")
            .AppendSwitchQuoted("--format", "{{.Digest}}")
            .AppendQuoted(image);
}
