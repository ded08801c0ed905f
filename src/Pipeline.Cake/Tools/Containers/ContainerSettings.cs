using Cake.Core.Tooling;

namespace Pipeline.Cake.Tools.Containers;

/// <summary>Settings every container command shares: which CLI runs it (docker or podman, or a path).</summary>
public abstract class ContainerSettings : ToolSettings, INamedToolSettings
{
    /// <summary><c>docker</c> (default) or <c>podman</c>; <see cref="ToolSettings.ToolPath"/> still wins when set.</summary>
    public string Executable { get; set; } = "docker";

    /// <summary>podman (or buildah's podman) rather than docker: its build format and TLS flags differ.</summary>
    public bool IsPodman => Executable.Contains("podman", StringComparison.Ordinal);
}

/// <summary><c>image build</c> (or <c>buildx build</c> when <see cref="UseBuildX"/>).</summary>
public sealed class ContainerBuildSettings : ContainerSettings
{
    public string? File { get; set; }

    public IList<string> Tags { get; } = [];

    public IDictionary<string, string> BuildArgs { get; } =
        new SortedDictionary<string, string>(StringComparer.Ordinal);

    public IDictionary<string, string> Labels { get; } = new SortedDictionary<string, string>(StringComparer.Ordinal);

    public string? Target { get; set; }

    public string? Network { get; set; }

    public string? Platform { get; set; }

    /// <summary>Writes the built image's id to this file.</summary>
    public string? IidFile { get; set; }

    /// <summary>podman/buildah only: <c>docker</c> keeps HEALTHCHECK, which the default OCI format drops.</summary>
    public string? Format { get; set; }

    public bool NoCache { get; set; }

    public bool Pull { get; set; }

    public bool UseBuildX { get; set; }

    /// <summary>With buildx: load the result into the local image store.</summary>
    public bool Load { get; set; }
}

/// <summary><c>push</c>.</summary>
public sealed class ContainerPushSettings : ContainerSettings
{
    /// <summary>podman/buildah only: <c>--tls-verify=false</c> for a plain-HTTP registry.</summary>
    public bool? TlsVerify { get; set; }

    /// <summary>podman only: write the pushed manifest's digest to this file.</summary>
    public string? DigestFile { get; set; }
}

/// <summary><c>login</c>, with the password passed on standard input, never on the command line.</summary>
public sealed class ContainerLoginSettings : ContainerSettings
{
    public required string Username { get; set; }

    public required string Password { get; set; }

    public bool? TlsVerify { get; set; }
}

/// <summary><c>tag</c> and <c>image inspect</c> need nothing else.</summary>
public sealed class ContainerCommandSettings : ContainerSettings { }
