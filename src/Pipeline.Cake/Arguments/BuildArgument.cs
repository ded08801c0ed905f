using System.ComponentModel;
using System.Globalization;
using Cake.Core;
using Cake.Core.Diagnostics;

namespace Pipeline.Cake.Arguments;

/// <summary>
/// One build argument (<c>--name=value</c>), declared once with its type, default and help. Tasks read arguments only
/// through these declarations, so <c>--description</c> and the README's target table list every argument a task takes,
/// and one name has one meaning across the build.
/// </summary>
public interface IBuildArgument
{
    /// <summary>The name on the command line, without the dashes.</summary>
    string Name { get; }

    /// <summary>What it means, in one phrase.</summary>
    string Help { get; }

    /// <summary>How it is written on the command line, e.g. <c>--registry=HOST[/PATH]</c>.</summary>
    string Usage { get; }

    /// <summary>The default as shown to users; null when there is none.</summary>
    string? DefaultText { get; }

    /// <summary>The environment variable read when the argument is not given; null when there is none.</summary>
    string? EnvironmentVariable { get; }

    /// <summary>Earlier names that still work, with a deprecation warning.</summary>
    IReadOnlyList<string> DeprecatedNames { get; }
}

/// <summary>Common reading rules: the argument, then a deprecated name (with a warning), then the environment variable.</summary>
public abstract class BuildArgumentBase : IBuildArgument
{
    protected BuildArgumentBase(
        string name,
        string help,
        string? valueName,
        string? environmentVariable,
        IReadOnlyList<string>? deprecatedNames
    )
    {
        Name = name;
        Help = help;
        Usage = valueName is null ? $"--{name}" : $"--{name}={valueName}";
        EnvironmentVariable = environmentVariable;
        DeprecatedNames = deprecatedNames ?? [];
    }

    public string Name { get; }

    public string Help { get; }

    public string Usage { get; }

    public virtual string? DefaultText => null;

    public string? EnvironmentVariable { get; }

    public IReadOnlyList<string> DeprecatedNames { get; }

    /// <summary>Whether the argument (or a deprecated name, or its environment variable) is given.</summary>
    public bool IsSet(ICakeContext context) => RawValues(context).Count > 0;

    /// <summary>Every value given, in order: <c>--name</c> may be repeated.</summary>
    protected IReadOnlyList<string> RawValues(ICakeContext context)
    {
        if (context.Arguments.HasArgument(Name))
        {
            return [.. context.Arguments.GetArguments(Name).Select(v => v ?? string.Empty)]; // a bare --flag has no value
        }

        foreach (var old in DeprecatedNames.Where(context.Arguments.HasArgument))
        {
            context.Log.Warning("--{0} is deprecated; use --{1}.", old, Name);
            return [.. context.Arguments.GetArguments(old).Select(v => v ?? string.Empty)];
        }

        return
            EnvironmentVariable is not null
            && context.Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } value
            ? [value]
            : [];
    }
}

/// <summary>An argument with one value of type <typeparamref name="T"/> and a default used when it is not given.</summary>
public sealed class BuildArgument<T> : BuildArgumentBase
{
    private readonly T _default;
    private readonly string? _defaultText;

    public BuildArgument(
        string name,
        T defaultValue,
        string help,
        string? valueName = "VALUE",
        string? environmentVariable = null,
        string? defaultText = null,
        IReadOnlyList<string>? deprecatedNames = null
    )
        : base(name, help, valueName, environmentVariable, deprecatedNames)
    {
        _default = defaultValue;
        _defaultText =
            defaultText
            ?? (defaultValue is null or "" ? null : Convert.ToString(defaultValue, CultureInfo.InvariantCulture));
    }

    public override string? DefaultText => _defaultText;

    /// <summary>The value given, else the default. A value that does not convert is an error naming the argument.</summary>
    public T Get(ICakeContext context)
    {
        var values = RawValues(context);
        return values.Count == 0 ? _default : BuildArguments.Convert<T>(Name, values[^1]);
    }
}

/// <summary>An argument that must be given; a missing one is an error that says what it is for.</summary>
public sealed class RequiredArgument<T>(
    string name,
    string help,
    string valueName = "VALUE",
    IReadOnlyList<string>? deprecatedNames = null
) : BuildArgumentBase(name, help, valueName, null, deprecatedNames)
{
    public T Get(ICakeContext context)
    {
        var values = RawValues(context);
        return values.Count == 0
            ? throw new CakeException($"--{Name} is required: {Help}.")
            : BuildArguments.Convert<T>(Name, values[^1]);
    }
}

/// <summary>A switch: <c>--name</c> alone turns it on (<c>--name=false</c> turns it off).</summary>
public sealed class BuildFlag(string name, string help, IReadOnlyList<string>? deprecatedNames = null)
    : BuildArgumentBase(name, help, null, null, deprecatedNames)
{
    public bool Get(ICakeContext context) =>
        RawValues(context) is { Count: > 0 } values
        && (values[^1].Length == 0 || BuildArguments.Convert<bool>(Name, values[^1]));
}

/// <summary>An argument that may be repeated (<c>--name=a --name=b</c>); empty values are ignored.</summary>
public sealed class RepeatableArgument(
    string name,
    string help,
    string valueName = "VALUE",
    IReadOnlyList<string>? deprecatedNames = null
) : BuildArgumentBase(name, help, valueName + " (repeatable)", null, deprecatedNames)
{
    public IReadOnlyList<string> Get(ICakeContext context) => [.. RawValues(context).Where(v => v.Length > 0)];
}

/// <summary>Conversions shared by every declared argument.</summary>
public static class BuildArguments
{
    public static T Convert<T>(string name, string value)
    {
        var type = Nullable.GetUnderlyingType(typeof(T)) ?? typeof(T);
        try
        {
            if (type == typeof(TimeSpan))
            {
                return (T)
                    (object)TimeSpan.FromSeconds(double.Parse(value, NumberStyles.Float, CultureInfo.InvariantCulture));
            }

            return (T)TypeDescriptor.GetConverter(type).ConvertFromInvariantString(value)!;
        }
        catch (Exception ex)
            when (ex is FormatException or NotSupportedException or ArgumentException or OverflowException)
        {
            throw new CakeException($"--{name}: '{value}' is not a valid {Describe(type)}.");
        }
    }

    private static string Describe(Type type) =>
        type == typeof(int) || type == typeof(long) ? "whole number"
        : type == typeof(double) ? "number"
        : type == typeof(bool) ? "true or false"
        : type == typeof(TimeSpan) ? "number of seconds"
        : type.Name.ToLowerInvariant();
}
