using System.Text;

namespace Pipeline.Testing;

/// <summary>
/// A private PostgreSQL cluster for the test process: initdb into a temp folder, listening on a free loopback port,
/// stopped when the process exits. Debian's postgresql comes from the TestTools target; tests skip with the
/// reason when it is missing.
/// </summary>
public sealed class PostgresServer
{
    private static readonly Lazy<Task<(PostgresServer? Server, string? Reason)>> Shared = new(StartAsync);

    private PostgresServer(int port) => Port = port;

    public int Port { get; }

    /// <summary>A connection string to a new, empty database on the shared server.</summary>
    public string NewDatabase()
    {
        var name = $"test_{Guid.NewGuid():N}";
        var (exit, output) = ExternalTools.Run(
            Bin("psql"),
            [
                "-h",
                "127.0.0.1",
                "-p",
                Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "-U",
                "postgres",
                "-c",
                $"CREATE DATABASE {name}",
            ],
            TimeSpan.FromSeconds(30)
        );
        return exit == 0
            ? $"Host=127.0.0.1;Port={Port};Username=postgres;Database={name};Pooling=true"
            : throw new InvalidOperationException($"CREATE DATABASE failed: {output}");
    }

    public static Task<(PostgresServer? Server, string? Reason)> GetAsync() => Shared.Value;

    private static string? binFolder;

    private static string Bin(string tool) => Path.Combine(binFolder!, tool);

    private static async Task<(PostgresServer?, string?)> StartAsync()
    {
        if (TestTools.Missing("postgresql") is { } missing)
        {
            return (null, missing);
        }

        binFolder = Path.GetDirectoryName(TestTools.Locate("postgresql"))!;

        var data = Directory.CreateTempSubdirectory("pipeline-pg-").FullName;
        var asRoot = Environment.UserName == "root";
        if (asRoot)
        {
            // initdb refuses to run as root: the cluster belongs to the postgres user.
            ExternalTools.Run("chown", ["-R", "postgres:postgres", data], TimeSpan.FromSeconds(10));
        }

        (int, string) AsOwner(string tool, params string[] args) =>
            asRoot
                ? ExternalTools.Run("runuser", ["-u", "postgres", "--", Bin(tool), .. args], TimeSpan.FromMinutes(2))
                : ExternalTools.Run(Bin(tool), args, TimeSpan.FromMinutes(2));

        var (initExit, initOutput) = AsOwner(
            "initdb",
            "-D",
            Path.Combine(data, "db"),
            "-A",
            "trust",
            "-U",
            "postgres",
            "--no-sync",
            "-E",
            "UTF8"
        );
        if (initExit != 0)
        {
            return (null, $"initdb failed: {initOutput}");
        }

        var port = LoopbackPort.Free();
        var options = $"-p {port} -k {data} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off";
        var (startExit, startOutput) = AsOwner(
            "pg_ctl",
            "-D",
            Path.Combine(data, "db"),
            "-o",
            options,
            "-l",
            Path.Combine(data, "server.log"),
            "-w",
            "start"
        );
        if (startExit != 0)
        {
            var log = File.Exists(Path.Combine(data, "server.log"))
                ? File.ReadAllText(Path.Combine(data, "server.log"), Encoding.UTF8)
                : string.Empty;
            return (null, $"pg_ctl start failed: {startOutput} {log}");
        }

        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            AsOwner("pg_ctl", "-D", Path.Combine(data, "db"), "-m", "immediate", "stop");
            try
            {
                Directory.Delete(data, recursive: true);
            }
            catch (IOException) { }
        };
        await LoopbackPort.WaitUntilListeningAsync(port, TimeSpan.FromSeconds(30));
        return (new PostgresServer(port), null);
    }
}
