using Cake.Common.Tools.DotNet;
using Cake.Common.Tools.DotNet.Test;
using Pipeline.Cake.Summary;

namespace Pipeline.Build.Solution;

/// <summary>Running the solution's tests, shared by Test and TestFast.</summary>
internal static class TestRun
{
    public static void Run(BuildContext context, string filter, bool fastLane = false)
    {
        var results = context.Artifacts.Combine("test-results");
        context.CleanDirectory(results);
        try
        {
            context.DotNetTest(
                context.Solution.FullPath,
                new DotNetTestSettings
                {
                    Configuration = context.BuildConfiguration,
                    NoBuild = context.SolutionBuilt,
                    NoRestore = context.SolutionBuilt,
                    Filter = filter.Length > 0 ? filter : null,
                    ResultsDirectory = results,
                    // Theories that run against both a folder and a real server take only the folder in the fast lane.
                    EnvironmentVariables = { ["PIPELINE_TEST_LANE"] = fastLane ? "fast" : "all" },
                    Loggers =
                    [
                        "trx",
                        $"junit;LogFilePath={results.FullPath}/{{assembly}}.junit.xml;MethodFormat=Class;FailureBodyFormat=Verbose",
                        "console;verbosity=normal",
                    ],
                }
            );
        }
        finally
        {
            var report = TestReport.Markdown(TestReport.Read(results.FullPath));
            context.Information("Test results:\n{0}", report);
            context.Summary.SetSection("Tests", report);
        }
    }
}
