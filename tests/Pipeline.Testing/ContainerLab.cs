using System.Globalization;

namespace Pipeline.Testing;

/// <summary>
/// A real image builder and registry for the image tests, set up once per machine and test process: podman with the
/// configuration this machine needs (runc, cgroupfs, lowered ulimits, host networking) behind a wrapper script, a
/// Debian minbase base image made with mmdebstrap (no public image can be pulled here), and a loopback registry.
/// </summary>
public sealed class ContainerLab
{
    public const string BaseImage = "localhost/debian-runtime-deps:bookworm";
    private static readonly Lazy<Task<(ContainerLab? Lab, string? Reason)>> Shared = new(StartAsync);

    private ContainerLab(string podman, string registry)
    {
        Podman = podman;
        Registry = registry;
    }

    /// <summary>The podman wrapper to pass as <c>--image-tool</c>.</summary>
    public string Podman { get; }

    /// <summary><c>127.0.0.1:port</c>.</summary>
    public string Registry { get; }

    public static Task<(ContainerLab? Lab, string? Reason)> GetAsync() => Shared.Value;

    public (int ExitCode, string Output) Run(params string[] args) =>
        ExternalTools.Run(Podman, args, TimeSpan.FromMinutes(5));

    private static async Task<(ContainerLab?, string?)> StartAsync()
    {
        if (!OperatingSystem.IsLinux() || Environment.UserName != "root")
        {
            return (null, "the image tests need root on Linux (podman with runc, mmdebstrap --mode=root)");
        }

        if (TestTools.Missing("podman", "docker-registry", "mmdebstrap") is { } missing)
        {
            return (null, missing);
        }

        var home = Path.Combine(Pipeline.Cake.Setup.MachineTools.DefaultCacheRoot, "podman");
        Directory.CreateDirectory(home);
        File.WriteAllText(
            Path.Combine(home, "containers.conf"),
            "[containers]\ndefault_ulimits = [\"nofile=20000:20000\", \"nproc=32768:32768\"]\nnetns = \"host\"\n[engine]\nruntime = \"runc\"\ncgroup_manager = \"cgroupfs\"\nevents_logger = \"file\"\n"
        );
        File.WriteAllText(
            Path.Combine(home, "storage.conf"),
            $"[storage]\ndriver = \"overlay\"\nrunroot = \"{home}/run\"\ngraphroot = \"{home}/graph\"\n"
        );
        File.WriteAllText(
            Path.Combine(home, "registries.conf"),
            "[[registry]]\nlocation = \"127.0.0.1\"\ninsecure = true\n"
        );
        var wrapper = Path.Combine(home, "podman");
        File.WriteAllText(
            wrapper,
            $"#!/bin/sh\nexport CONTAINERS_CONF={home}/containers.conf CONTAINERS_STORAGE_CONF={home}/storage.conf CONTAINERS_REGISTRIES_CONF={home}/registries.conf\nexec /usr/bin/podman \"$@\"\n"
        );
        File.SetUnixFileMode(wrapper, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        if (ExternalTools.Run(wrapper, ["image", "exists", BaseImage], TimeSpan.FromSeconds(30)).ExitCode != 0)
        {
            var reason = ImportBaseImage(home, wrapper);
            if (reason is not null)
            {
                return (null, reason);
            }
        }

        RemoveEarlierRunsImages(wrapper);
        var port = LoopbackPort.Free();
        var storage = Directory.CreateTempSubdirectory("pipeline-registry-").FullName;
        var config = Path.Combine(storage, "config.yml");
        File.WriteAllText(
            config,
            $"version: 0.1\nstorage:\n  filesystem:\n    rootdirectory: {storage}/data\nhttp:\n  addr: 127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}\n"
        );
        var registry = System.Diagnostics.Process.Start(
            new System.Diagnostics.ProcessStartInfo("docker-registry", ["serve", config])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            }
        )!;
        var log = ProcessLog.Capture(registry);
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            if (!registry.HasExited)
            {
                registry.Kill(entireProcessTree: true);
            }
        };
        await LoopbackPort.WaitUntilListeningAsync(port, TimeSpan.FromSeconds(30), () => log.ToString());
        return (new ContainerLab(wrapper, $"127.0.0.1:{port}"), null);
    }

    /// <summary>
    /// Every run tags its images for its own loopback registry (<c>127.0.0.1:port/…</c>); without this, each run left
    /// about a gigabyte in the podman store. Only images older than an hour go, so a run in progress keeps its own.
    /// </summary>
    private static void RemoveEarlierRunsImages(string podman)
    {
        var (exit, output) = ExternalTools.Run(
            podman,
            ["images", "--filter", "until=1h", "--format", "{{.Repository}} {{.ID}}"],
            TimeSpan.FromMinutes(1)
        );
        var stale =
            exit == 0
                ? output
                    .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                    .Select(line => line.Split(' '))
                    .Where(fields => fields.Length == 2 && fields[0].StartsWith("127.0.0.1:", StringComparison.Ordinal))
                    .Select(fields => fields[1])
                    .Distinct()
                    .ToList()
                : [];
        if (stale.Count > 0)
        {
            ExternalTools.Run(podman, ["rmi", "--force", .. stale], TimeSpan.FromMinutes(5));
            ExternalTools.Run(podman, ["image", "prune", "--force"], TimeSpan.FromMinutes(5));
        }
    }

    private static string? ImportBaseImage(string home, string wrapper)
    {
        var tarball = Path.Combine(home, "debian-runtime-deps-bookworm.tar");
        if (!File.Exists(tarball))
        {
            var mirror = File.Exists("/etc/apt/sources.list.d/debian.sources")
                ? File.ReadLines("/etc/apt/sources.list.d/debian.sources")
                    .Where(l => l.StartsWith("URIs:", StringComparison.Ordinal))
                    .Select(l => l[5..].Trim().Split(' ')[0])
                    .FirstOrDefault()
                : null;
            var temp = Path.ChangeExtension(tarball, ".partial.tar"); // mmdebstrap picks its output format from the extension
            var (exit, output) = ExternalTools.Run(
                "mmdebstrap",
                // What .NET's runtime-deps image adds to minbase that our services use: TLS (the Kubernetes client) and CA roots.
                [
                    "--variant=minbase",
                    "--mode=root",
                    "--include=libssl3,ca-certificates",
                    "--dpkgopt=path-exclude=/usr/share/doc/*",
                    "--dpkgopt=path-exclude=/usr/share/man/*",
                    "--dpkgopt=path-exclude=/usr/share/locale/*",
                    "bookworm",
                    temp,
                    .. mirror is null ? Array.Empty<string>() : [mirror],
                ],
                TimeSpan.FromMinutes(10)
            );
            if (exit != 0)
            {
                return $"mmdebstrap could not make the base image: {output.Trim()[^Math.Min(400, output.Trim().Length)..]}";
            }

            File.Move(temp, tarball);
        }

        var (importExit, importOutput) = ExternalTools.Run(
            wrapper,
            ["import", "--change", "CMD [\"/bin/bash\"]", tarball, BaseImage],
            TimeSpan.FromMinutes(5)
        );
        return importExit == 0 ? null : $"podman import failed: {importOutput}";
    }
}
