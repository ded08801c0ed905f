using Cake.Core;
using Cake.Core.IO;
using Cake.Frosting;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

namespace Pipeline.Testing;

/// <summary>Runs a <see cref="CakeHost"/> in-process against a folder, with its output captured and no process-wide state touched.</summary>
public sealed class TestHost
{
    private readonly List<Action<IServiceCollection>> _configure = [];

    public TestHost(string workingDirectory)
    {
        Environment = new IsolatedCakeEnvironment(new DirectoryPath(workingDirectory));
    }

    public IsolatedCakeEnvironment Environment { get; }

    public RecordingConsole Console { get; } = new();

    public TestHost Configure(Action<IServiceCollection> configure)
    {
        _configure.Add(configure);
        return this;
    }

    public TestHost AddTask<TTask>()
        where TTask : class, IFrostingTask => Configure(s => s.AddSingleton<IFrostingTask, TTask>());

    public TestHostResult Run(params string[] args)
    {
        var ansi = AnsiConsole.Create(
            new AnsiConsoleSettings
            {
                Ansi = AnsiSupport.No,
                ColorSystem = ColorSystemSupport.NoColors,
                Interactive = InteractionSupport.No,
                Out = new AnsiConsoleOutput(Console.AsWriter()),
            }
        );
        ansi.Profile.Width = 80;

        var host = new CakeHost().ConfigureServices(s =>
        {
            s.AddSingleton<ICakeEnvironment>(Environment);
            s.AddSingleton<IConsole>(Console);
            s.AddSingleton(ansi);
            foreach (var configure in _configure)
            {
                configure(s);
            }
        });
        var exitCode = host.Run(args);
        return new TestHostResult(exitCode, Console.Text);
    }
}

public sealed record TestHostResult(int ExitCode, string Output);
