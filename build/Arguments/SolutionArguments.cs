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

    public static readonly BuildArgument<string> PackageOutput = new(
        "package-output",
        "artifacts/packages",
        "where Pack writes the .nupkg and .snupkg files",
        "DIR"
    );

    public static readonly BuildArgument<string> PackageVersion = new(
        "package-version",
        string.Empty,
        "the packages' version (default: 0.1.0-<the build's version>, e.g. 0.1.0-3f1c2a9-42)",
        "SEMVER"
    );

    public static readonly BuildFlag NoBuild = new(
        "no-build",
        "pack what the last Release build compiled, without building again"
    );
}
