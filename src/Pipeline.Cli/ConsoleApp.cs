using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Pipeline.Cli;

/// <summary>Where a console command writes, and the environment it reads; commands take it from their constructor.</summary>
public sealed record ConsoleIO(TextWriter Output, TextWriter Error, Func<string, string?> Environment)
{
    public static ConsoleIO Process { get; } =
        new(Console.Out, Console.Error, System.Environment.GetEnvironmentVariable);
}

/// <summary>
/// The pipeline's console entry points (pipeline-train, pipeline-datasets, pipeline-watcher) on Spectre.Console.Cli,
/// the library the build host parses with: the same <c>--help</c>, the same <c>error: …</c> line, and the same exit codes.
/// </summary>
public static class ConsoleApp
{
    /// <summary>The command did its work.</summary>
    public const int Succeeded = 0;

    /// <summary>The command ran, and what it checked failed: a quality gate, a data-quality check, a training Job.</summary>
    public const int CheckFailed = 1;

    /// <summary>Bad arguments or bad input (a missing file, a malformed value); the message names it.</summary>
    public const int BadInput = 2;

    /// <summary>Anything else: a bug or an environment the command cannot work in; the message and stack go to stderr.</summary>
    public const int Crashed = 3;

    /// <summary>An app with one command and no verb (<c>pipeline-train --dataset …</c>).</summary>
    public static Task<int> RunAsync<TCommand>(
        string name,
        IReadOnlyList<string> args,
        ConsoleIO io,
        Func<Exception, bool> isBadInput
    )
        where TCommand : class, ICommand =>
        RunAsync(new CommandApp<TCommand>(Registrar(io)), name, args, io, isBadInput, _ => { });

    /// <summary>An app with verbs (<c>pipeline-datasets collect-daily</c>); no verb at all shows the help and is bad input.</summary>
    public static async Task<int> RunAsync(
        string name,
        IReadOnlyList<string> args,
        ConsoleIO io,
        Func<Exception, bool> isBadInput,
        Action<IConfigurator> commands
    )
    {
        if (args.Count == 0)
        {
            await RunAsync(new CommandApp(Registrar(io)), name, ["--help"], io, isBadInput, commands);
            io.Error.WriteLine($"error: {name} needs a command (see above)");
            return BadInput;
        }

        return await RunAsync(new CommandApp(Registrar(io)), name, args, io, isBadInput, commands);
    }

    private static async Task<int> RunAsync(
        ICommandApp app,
        string name,
        IReadOnlyList<string> args,
        ConsoleIO io,
        Func<Exception, bool> isBadInput,
        Action<IConfigurator> commands
    )
    {
        app.Configure(config =>
        {
            config.SetApplicationName(name);
            // Spectre's strict parsing hands a value-less last option the internal name "__default_command"; reject
            // unknown options after parsing instead.
            config.SetInterceptor(new RejectUnknownOptions());
            config.ConfigureConsole(
                AnsiConsole
                    .Create(
                        new AnsiConsoleSettings
                        {
                            Ansi = AnsiSupport.No,
                            ColorSystem = ColorSystemSupport.NoColors,
                            Out = new AnsiConsoleOutput(io.Output),
                        }
                    )
                    .WithWidth(120)
            );
            config.SetExceptionHandler((exception, _) => Fail(io, exception, args, isBadInput));
            commands(config);
        });
        return await app.RunAsync(args);
    }

    private static int Fail(
        ConsoleIO io,
        Exception exception,
        IReadOnlyList<string> args,
        Func<Exception, bool> isBadInput
    )
    {
        if (
            exception
            is CommandParseException
                or CommandRuntimeException
                or CommandConfigurationException
                or UnknownOptionException
        )
        {
            io.Error.WriteLine($"error: {NameTheFlag(exception.Message, args)} (see --help)");
            return BadInput;
        }

        var inner = exception is TargetInvocationException { InnerException: { } cause } ? cause : exception;
        if (isBadInput(inner))
        {
            io.Error.WriteLine($"error: {inner.Message}");
            return BadInput;
        }

        io.Error.WriteLine($"error: unexpected {inner.GetType().Name}: {inner.Message}");
        io.Error.WriteLine(inner.StackTrace);
        return Crashed;
    }

    /// <summary>Spectre says "Failed to convert 'soon' to Double."; say which flag had that value.</summary>
    private static string NameTheFlag(string message, IReadOnlyList<string> args)
    {
        var match = Regex.Match(message, "^Failed to convert '(?<value>.*)' to (?<type>\\w+)\\.$");
        if (!match.Success)
        {
            return message.TrimEnd('.');
        }

        var value = match.Groups["value"].Value;
        for (var i = 0; i < args.Count; i++)
        {
            var flag =
                args[i].StartsWith("--", StringComparison.Ordinal)
                && args[i].EndsWith("=" + value, StringComparison.Ordinal)
                    ? args[i][..^(value.Length + 1)]
                : i + 1 < args.Count && args[i + 1] == value && args[i].StartsWith("--", StringComparison.Ordinal)
                    ? args[i]
                : null;
            if (flag is not null)
            {
                return $"{flag}: '{value}' is not a valid {Describe(match.Groups["type"].Value)}";
            }
        }

        return message.TrimEnd('.');
    }

    private static string Describe(string type) =>
        type switch
        {
            "Int32" or "Int64" => "whole number",
            "Double" or "Single" or "Decimal" => "number",
            "Boolean" => "true or false",
            _ => type,
        };

    private static IAnsiConsole WithWidth(this IAnsiConsole console, int width)
    {
        console.Profile.Width = width; // help is read in logs and pipes, which report no width
        return console;
    }

    private static ServiceRegistrar Registrar(ConsoleIO io)
    {
        var services = new ServiceCollection();
        services.AddSingleton(io);
        return new ServiceRegistrar(services);
    }
}

/// <summary>An option no command declares: an error, never a silently ignored extra.</summary>
internal sealed class UnknownOptionException(string message) : Exception(message);

internal sealed class RejectUnknownOptions : ICommandInterceptor
{
    public void Intercept(CommandContext context, CommandSettings settings)
    {
        if (context.Remaining.Parsed.Count > 0)
        {
            throw new UnknownOptionException($"Unknown option '{context.Remaining.Parsed.First().Key}'.");
        }

        if (context.Remaining.Raw.Count > 0)
        {
            throw new UnknownOptionException($"Unexpected argument '{context.Remaining.Raw[0]}'.");
        }
    }

    public void InterceptResult(CommandContext context, CommandSettings settings, ref int result) { }
}
