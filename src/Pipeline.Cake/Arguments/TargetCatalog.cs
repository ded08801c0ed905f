using System.Reflection;
using System.Text;
using Cake.Frosting;
using Cake.Frosting.Internal;

namespace Pipeline.Cake.Arguments;

/// <summary>A target as users see it: its name, what it does, what it runs first and the arguments it reads.</summary>
public sealed record TargetInfo(
    string Name,
    string Description,
    IReadOnlyList<string> Dependencies,
    IReadOnlyList<IBuildArgument> Arguments
);

/// <summary>
/// What the task classes say about themselves, read once from their attributes and their declared arguments (the
/// static <see cref="IBuildArgument"/> fields of the class): the one source for <c>--description</c>, the Help
/// target and the README's target table.
/// </summary>
public static class TargetCatalog
{
    public static IReadOnlyList<TargetInfo> From(IEnumerable<Type> tasks) => [.. tasks.Select(Describe)];

    /// <summary>Every task class in the assemblies, in name order.</summary>
    public static IReadOnlyList<TargetInfo> FromAssemblies(params Assembly[] assemblies) =>
        From(
            assemblies
                .Distinct()
                .SelectMany(a => a.GetExportedTypes())
                .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IFrostingTask).IsAssignableFrom(t))
                .OrderBy(TaskTypes.GetTaskName, StringComparer.OrdinalIgnoreCase)
        );

    public static TargetInfo Describe(Type task) =>
        new(
            TaskTypes.GetTaskName(task),
            TaskTypes.GetDescription(task) ?? string.Empty,
            [.. TaskTypes.GetDependencies(task).Select(TaskTypes.GetTaskName)],
            ArgumentsOf(task)
        );

    /// <summary>The arguments a task declares: its static <see cref="IBuildArgument"/> fields, in declaration order.</summary>
    public static IReadOnlyList<IBuildArgument> ArgumentsOf(Type task) =>
        [
            .. task.GetFields(
                    BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly
                )
                .Where(f => typeof(IBuildArgument).IsAssignableFrom(f.FieldType))
                .OrderBy(f => f.MetadataToken)
                .Select(f => (IBuildArgument)f.GetValue(null)!),
        ];

    /// <summary>The description followed by the argument list, for <c>--description</c>.</summary>
    public static string DescriptionWithArguments(TargetInfo target) =>
        target.Arguments.Count == 0
            ? target.Description
            : $"{target.Description} Arguments: {string.Join(", ", target.Arguments.Select(Short))}.";

    /// <summary>Each target with its arguments' help, defaults and environment variables, for the Help target.</summary>
    public static string Help(IEnumerable<TargetInfo> targets)
    {
        var text = new StringBuilder();
        foreach (var target in targets)
        {
            text.Append(target.Name);
            if (target.Dependencies.Count > 0)
            {
                text.Append(" (runs ").Append(string.Join(", ", target.Dependencies)).Append(" first)");
            }

            text.Append('\n').Append("  ").Append(target.Description).Append('\n');
            foreach (var argument in target.Arguments)
            {
                text.Append("    ")
                    .Append(argument.Usage.PadRight(34))
                    .Append(' ')
                    .Append(argument.Help)
                    .Append(Extras(argument))
                    .Append('\n');
            }

            text.Append('\n');
        }

        return text.ToString();
    }

    /// <summary>The README's target table: one row per target, its description and its arguments.</summary>
    public static string MarkdownTable(IEnumerable<TargetInfo> targets)
    {
        var table = new StringBuilder("| Target | What it does | Arguments |\n|---|---|---|\n");
        foreach (var target in targets)
        {
            var arguments = string.Join(
                "<br>",
                target.Arguments.Select(a => $"`{a.Usage.Replace("|", "\\|", StringComparison.Ordinal)}`")
            );
            table
                .Append("| `")
                .Append(target.Name)
                .Append("` | ")
                .Append(Cell(target.Description))
                .Append(" | ")
                .Append(arguments)
                .Append(" |\n");
        }

        return table.ToString();
    }

    private static string Short(IBuildArgument argument) =>
        argument.DefaultText is { } value ? $"{argument.Usage} (default {value})" : argument.Usage;

    private static string Extras(IBuildArgument argument)
    {
        var extras = new List<string>();
        if (argument.DefaultText is { } value)
        {
            extras.Add("default " + value);
        }

        if (argument.EnvironmentVariable is { } variable)
        {
            extras.Add("env " + variable);
        }

        if (argument.DeprecatedNames.Count > 0)
        {
            extras.Add("was --" + string.Join(", --", argument.DeprecatedNames));
        }

        return extras.Count == 0 ? string.Empty : $" ({string.Join("; ", extras)})";
    }

    // A table cell: pipes would end it, and <angle> words would be read as HTML.
    private static string Cell(string text) =>
        text.Replace("|", "\\|", StringComparison.Ordinal)
            .Replace("<", "&lt;", StringComparison.Ordinal)
            .Replace(">", "&gt;", StringComparison.Ordinal);
}
