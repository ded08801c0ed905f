using System.Text.RegularExpressions;
using Cake.Common.Tools.DotNet;
using Cake.Common.Tools.DotNet.MSBuild;
using Cake.Common.Tools.DotNet.Pack;
using Pipeline.Build.Arguments;

namespace Pipeline.Build.Tasks;

[TaskName("Pack")]
[TaskDescription(
    "Packs the reusable libraries (every project with <IsPackable>true</IsPackable>: the stages, tool wrappers, data "
        + "versioning, tracking, training contract and gate) as NuGet packages with READMEs, symbols and Source Link, "
        + "versioned from the build."
)]
[IsDependentOn(typeof(Build))]
public sealed partial class Pack : FrostingTask<BuildContext>
{
    private static readonly BuildArgument<string> Output = SolutionArguments.PackageOutput;
    private static readonly BuildArgument<string> Version = SolutionArguments.PackageVersion;
    private static readonly BuildFlag NoBuild = SolutionArguments.NoBuild;

    public override void Run(BuildContext context)
    {
        var output = context.MakeAbsolute(context.Directory(Output.Get(context)));
        var version = Version.Get(context) is { Length: > 0 } given
            ? given
            : "0.1.0-" + NotSemVer().Replace(context.Version.Version, "-");
        var projects = context
            .GetFiles($"{context.Root}/{{src,build}}/**/*.csproj")
            .Where(p =>
                File.ReadAllText(p.FullPath).Contains("<IsPackable>true</IsPackable>", StringComparison.Ordinal)
            )
            .ToList();
        foreach (var project in projects)
        {
            context.DotNetPack(
                project.FullPath,
                new DotNetPackSettings
                {
                    Configuration = context.BuildConfiguration,
                    OutputDirectory = output,
                    NoBuild = context.SolutionBuilt || NoBuild.Get(context),
                    NoLogo = true,
                    MSBuildSettings = new DotNetMSBuildSettings().WithProperty("PackageVersion", version),
                }
            );
        }

        context.Information(
            "Pack: {0} packages {1} → {2}",
            projects.Count,
            version,
            context.DisplayPath(output.FullPath)
        );
        context.Summary.SetSection("Packages", $"{projects.Count} packages, version `{version}`, in `{output}`.");
    }

    [GeneratedRegex("[^0-9A-Za-z.-]")]
    private static partial Regex NotSemVer();
}
