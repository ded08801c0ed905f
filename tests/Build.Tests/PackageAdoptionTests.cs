using Pipeline.Testing;

namespace Pipeline.Build.Tests;

/// <summary>
/// The pipeline as a library another repository adopts: Pack writes the packages into a local feed, and a separate
/// repository made here (a git repository in a temp folder, nothing from this tree) references them, brings its own
/// tiny model behind IModelTrainer, and runs the stock Train stage through its own two-file build host.
/// </summary>
[Trait("Category", "Integration")]
public sealed class PackageAdoptionTests
{
    private const string Version = "0.0.0-adoption";

    [Fact]
    public void Pack_ThenASeparateRepository_TrainsItsOwnModelWithTheStockStages()
    {
        using var temp = new TempDirectory("adopt");
        var feed = temp.Combine("feed");
        var pack = BuildHost
            .For(Fixtures.RepositoryRoot)
            .Run(
                "--target=Pack",
                "--exclusive",
                "--no-build",
                $"--package-output={feed}",
                $"--package-version={Version}"
            );
        pack.ExitCode.ShouldBe(0, pack.Output);
        Directory.GetFiles(feed, "*.nupkg").Select(Path.GetFileName).ShouldContain($"Pipeline.Stages.{Version}.nupkg");
        Directory.GetFiles(feed, "*.snupkg").ShouldNotBeEmpty();

        var repo = temp.Combine("their-repo");
        WriteConsumer(repo, feed);
        GitFixture.InitWithCommit(repo);

        var (exit, output) = ExternalTools.Run(
            "dotnet",
            ["run", "--project", "build/Build.csproj", "-c", "Release", "--", "--target=Train"],
            TimeSpan.FromMinutes(8),
            repo
        );

        exit.ShouldBe(0, output);
        output.ShouldContain("Quality gate passed");
        Directory.Exists(Path.Combine(repo, "mlruns", "models", "tiny-model")).ShouldBeTrue(output);
        File.Exists(Path.Combine(repo, "artifacts", "training", "model", "majority.txt")).ShouldBeTrue();
    }

    private static void WriteConsumer(string repo, string feed)
    {
        void Write(string path, string text)
        {
            var full = Path.Combine(repo, path);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            File.WriteAllText(full, text);
        }

        Write(
            "nuget.config",
            $"<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<configuration>\n  <packageSources>\n    <add key=\"pipeline\" value=\"{feed}\" />\n  </packageSources>\n</configuration>\n"
        );
        Write(
            "build/Build.csproj",
            $$"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <ImplicitUsings>enable</ImplicitUsings>
                <Nullable>enable</Nullable>
                <RunWorkingDirectory>$(MSBuildProjectDirectory)/..</RunWorkingDirectory>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="Pipeline.Stages" Version="{{Version}}" />
              </ItemGroup>
            </Project>
            """
        );
        Write(
            "build/Program.cs",
            "using Cake.Frosting;\n\nreturn new CakeHost().AddAssembly(typeof(Pipeline.Build.BuildContext).Assembly).UseStartup<Startup>().Run(args);\n"
        );
        Write(
            "build/Startup.cs",
            """
            using Microsoft.Extensions.DependencyInjection;
            using Pipeline.Build;

            public sealed class Startup : Cake.Frosting.IFrostingStartup
            {
                public void Configure(IServiceCollection services) => services.UsePipelineStages([new MajorityTrainer()]);
            }
            """
        );
        Write(
            "build/MajorityTrainer.cs",
            """
            using Pipeline.Training;

            // Their model: the most common label. Enough to ride the stages.
            public sealed class MajorityTrainer : IModelTrainer
            {
                public string Name => "majority";

                public string Flavor => "majority";

                public TrainingResult Train(TrainingRequest request, CancellationToken cancellationToken = default)
                {
                    var labels = File.ReadLines(request.DatasetPath).Skip(1).Select(l => l.Split(',')[1]).ToList();
                    var majority = labels.GroupBy(l => l).OrderByDescending(g => g.Count()).First().Key;
                    var accuracy = labels.Count(l => l == majority) / (double)labels.Count;
                    return TrainingOutput.Publish(
                        request.OutputDirectory,
                        staging =>
                        {
                            var model = Directory.CreateDirectory(Path.Combine(staging, TrainingOutput.ModelFolder)).FullName;
                            File.WriteAllText(Path.Combine(model, "majority.txt"), majority);
                            Directory.CreateDirectory(Path.Combine(staging, TrainingOutput.ReportFolder));
                        },
                        (model, reports) => new TrainingResult(
                            model,
                            reports,
                            new Dictionary<string, double> { ["accuracy"] = accuracy },
                            [],
                            new Dictionary<string, string> { ["rule"] = "majority" },
                            new ModelSignature([], []),
                            new DatasetSummary(request.DatasetPath, "d41d8cd98f00b204e9800998ecf8427e", labels.Count, labels.Count, 0, []),
                            Flavor,
                            new Dictionary<string, object?>()
                        )
                    );
                }

                public IReadOnlyDictionary<string, double> Evaluate(
                    string modelDirectory,
                    TrainingRequest request,
                    CancellationToken cancellationToken = default
                ) => new Dictionary<string, double> { ["accuracy"] = 0.5 };
            }
            """
        );
        Write(
            "config/training.json",
            "{ \"model\": \"majority\", \"dataset\": \"data/labels.csv\", \"experiment\": \"tiny\", \"registered_model\": \"tiny-model\", \"gate\": { \"floors\": { \"accuracy\": 0.5 } } }\n"
        );
        Write("data/labels.csv", "text,label\na,yes\nb,yes\nc,no\nd,yes\n");
    }
}
