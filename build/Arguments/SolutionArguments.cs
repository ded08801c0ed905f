namespace Pipeline.Build.Arguments;

/// <summary>How the solution is compiled and tested.</summary>
public static class SolutionArguments
{
    public static readonly BuildArgument<string> Configuration = new(
        "configuration",
        "Release",
        "the dotnet build configuration",
        "NAME"
    );

    public static readonly BuildArgument<string> Filter = new(
        "filter",
        string.Empty,
        "a dotnet test filter, e.g. Category!=Integration",
        "EXPR"
    );
}
