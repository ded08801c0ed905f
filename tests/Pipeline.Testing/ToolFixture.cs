using Cake.Core;
using Cake.Core.Configuration;
using Cake.Core.Diagnostics;
using Cake.Core.IO;
using Cake.Core.Tooling;
using Microsoft.Extensions.DependencyInjection;

namespace Pipeline.Testing;

/// <summary>
/// A Cake context whose process runner records instead of running (like Cake.Testing's ToolFixture), with
/// stand-in executables in a temp <c>bin/</c> so tools resolve without the real CLI installed.
/// </summary>
public sealed class ToolFixture : IDisposable
{
    private readonly TempDirectory _folder;

    public ToolFixture(params string[] executables)
    {
        _folder = new TempDirectory("tool-fixture");
        var environment = new IsolatedCakeEnvironment(new DirectoryPath(_folder.Path));
        var fileSystem = new FileSystem();
        var log = new NullLog();
        var globber = new Globber(fileSystem, environment);
        var configuration = new CakeConfiguration(new Dictionary<string, string>());
        var tools = new ToolLocator(
            environment,
            new ToolRepository(environment),
            new ToolResolutionStrategy(fileSystem, environment, globber, configuration, log)
        );
        Context = new CakeContext(
            fileSystem,
            environment,
            globber,
            log,
            new CakeArguments(Enumerable.Empty<string>().ToLookup(a => a)),
            Runner,
            new WindowsRegistry(),
            tools,
            new CakeDataService(),
            configuration,
            new ToolInstaller(environment, tools, configuration, log, []),
            new ServiceCollection().BuildServiceProvider()
        );
        foreach (var executable in executables)
        {
            _folder.Write($"bin/{executable}", "#!/bin/sh\n");
        }
    }

    public RecordingProcessRunner Runner { get; } = new();

    public ICakeContext Context { get; }

    /// <summary>The stand-in executable of that name.</summary>
    public FilePath Executable(string name) => new(_folder.Combine("bin", name));

    public void Dispose() => _folder.Dispose();

    private sealed class NullLog : ICakeLog
    {
        public Verbosity Verbosity { get; set; } = Verbosity.Diagnostic;

        public void Write(Verbosity verbosity, LogLevel level, string format, params object[] args) { }
    }
}
