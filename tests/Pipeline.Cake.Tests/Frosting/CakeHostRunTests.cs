using Cake.Frosting;

namespace Pipeline.Cake.Tests.Frosting;

public sealed class CakeHostRunTests
{
    [Fact]
    public void Run_TargetWithDependencies_RunsThemInTopologicalOrderWithLifetimes()
    {
        using var host = new HostFixture();
        host.Host.Configure(s => s.UseTaskLifetime<RecordingTaskLifetime>());

        var result = host.Run("--target=Build");

        result.ExitCode.ShouldBe(0, result.Output);
        host.Log.Entries.ShouldBe([
            "Setup",
            "TaskSetup:Clean",
            "Clean",
            "TaskTeardown:Clean",
            "TaskSetup:Restore",
            "Restore",
            "TaskTeardown:Restore",
            "TaskSetup:Build",
            "Build",
            "TaskTeardown:Build",
            "Teardown:ok",
        ]);
    }

    [Fact]
    public void Run_Exclusive_RunsOnlyTheTarget()
    {
        using var host = new HostFixture();

        var result = host.Run("--target", "Build", "--exclusive");

        result.ExitCode.ShouldBe(0, result.Output);
        host.Log.Entries.ShouldBe(["Setup", "Build", "Teardown:ok"]);
    }

    [Fact]
    public void Run_ShortExclusiveAndTargetSwitches_RunOnlyTheTarget()
    {
        using var host = new HostFixture();

        var result = host.Run("-t", "Restore", "-e");

        result.ExitCode.ShouldBe(0, result.Output);
        host.Log.Entries.ShouldBe(["Setup", "Restore", "Teardown:ok"]);
    }

    [Fact]
    public void Run_NoTarget_RunsDefault()
    {
        using var host = new HostFixture();

        var result = host.Run();

        result.ExitCode.ShouldBe(0, result.Output);
        host.Log.Entries.ShouldBe(["Setup", "Clean", "Restore", "Build", "Test:criteria", "Package", "Teardown:ok"]);
    }

    [Fact]
    public void Run_CriteriaFalseOnNonTarget_SkipsItAndReportsTheReason()
    {
        using var host = new HostFixture();

        var result = host.Run("--target=Package");

        result.ExitCode.ShouldBe(0, result.Output);
        host.Log.Entries.ShouldNotContain("Test");
        host.Log.Entries.ShouldContain("Package");
        result.Output.ShouldContain("Skip Reason");
        result.Output.ShouldMatch(@"Test\s+-\s+Skipped\s+no test projects");
    }

    [Fact]
    public void Run_CriteriaFalseOnTarget_FailsWithCakesMessage()
    {
        using var host = new HostFixture();

        var result = host.Run("--target=Test");

        result.ExitCode.ShouldNotBe(0);
        result.Output.ShouldContain(
            "Error: Could not reach target 'Test' since it was skipped due to a criteria: no test projects."
        );
    }

    [Fact]
    public void Run_TaskThrowsWithErrorHandler_CallsOnErrorThenFinallyAndTheHandlerHandlesIt()
    {
        using var host = new HostFixture();

        var result = host.Run("--target=Fail");

        // Cake's semantics: an OnError handler handles the exception; a task that must fail the build rethrows.
        result.ExitCode.ShouldBe(0, result.Output);
        host.Log.Entries.ShouldBe(["Setup", "Clean", "Fail:OnError:boom", "Fail:Finally", "Teardown:ok"]);
        result.Output.ShouldContain("An error occurred when executing task 'Fail'.");
    }

    [Fact]
    public void Run_TaskThrowsWithoutErrorHandler_RunsFinallyAndTeardownThenFailsWithTheMessage()
    {
        using var host = new HostFixture();
        host.Host.AddTask<CrashingTask>();

        var result = host.Run("--target=Crash");

        result.ExitCode.ShouldBe(-1);
        host.Log.Entries.ShouldBe(["Setup", "Clean", "Crash:Finally", "Teardown:failed"]);
        result.Output.ShouldMatch(@"Crash\s+\S+\s+Failed");
        result.Output.TrimEnd().ShouldEndWith("Error: boom");
    }

    [Fact]
    public void Run_ContinueOnError_RunsTheTasksAfterTheFailure()
    {
        using var host = new HostFixture();
        host.Host.AddTask<FlakyTask>().AddTask<AfterFlakyTask>();

        var result = host.Run("--target=AfterFlaky");

        result.ExitCode.ShouldBe(0, result.Output);
        host.Log.Entries.ShouldBe(["Setup", "Flaky", "AfterFlaky", "Teardown:ok"]);
    }

    [Fact]
    public void Run_IsDependeeOf_AddsTheReverseEdge()
    {
        using var host = new HostFixture();
        host.Host.AddTask<LintTask>();

        var result = host.Run("--target=Build");

        result.ExitCode.ShouldBe(0, result.Output);
        host.Log.Entries.ShouldBe(["Setup", "Clean", "Restore", "Lint", "Build", "Teardown:ok"]);
    }

    [Fact]
    public void Run_SeveralTargets_RunsEachOnce()
    {
        using var host = new HostFixture();

        var result = host.Run("--target=Restore", "--target=Build");

        result.ExitCode.ShouldBe(0, result.Output);
        host.Log.Entries.ShouldBe(["Setup", "Clean", "Restore", "Build", "Teardown:ok"]);
    }

    [Fact]
    public void Run_DryRun_ExecutesNoTaskButListsThem()
    {
        using var host = new HostFixture();

        var result = host.Run("--target=Build", "--dryrun");

        result.ExitCode.ShouldBe(0, result.Output);
        host.Log.Entries.ShouldBe(["Setup", "Teardown:ok"]);
        result.Output.ShouldContain("Performing dry run...");
        result.Output.ShouldContain("Target is: Build\n");
        result.Output.ShouldContain("1. Clean\n2. Restore\n3. Build\n");
        result.Output.ShouldContain("This was a dry run.\nNo tasks were actually executed.");
    }

    [Theory]
    [InlineData("--noop")]
    [InlineData("--whatif")]
    public void Run_DryRunAliases_ExecuteNothing(string flag)
    {
        using var host = new HostFixture();

        var result = host.Run("--target=Build", flag);

        result.ExitCode.ShouldBe(0, result.Output);
        host.Log.Entries.ShouldNotContain("Build");
    }

    [Fact]
    public void Run_UnknownTarget_FailsWithCakesMessage()
    {
        using var host = new HostFixture();

        var result = host.Run("--target=Nope");

        result.ExitCode.ShouldNotBe(0);
        result.Output.ShouldContain("Error: The target 'Nope' was not found.");
        host.Log.Entries.ShouldBeEmpty();
    }

    [Fact]
    public void Run_CircularDependency_FailsWithCakesMessage()
    {
        using var host = new HostFixture();
        host.Host.AddTask<CycleA>().AddTask<CycleB>().AddTask<CycleC>();

        var result = host.Run("--target=CycleA");

        result.ExitCode.ShouldNotBe(0);
        result.Output.ShouldContain("Error: Graph contains circular references.");
    }

    [Fact]
    public void Run_TwoTasksDependingOnEachOther_FailsWithCakesMessage()
    {
        using var host = new HostFixture();
        host.Host.AddTask<PingA>().AddTask<PingB>();

        var result = host.Run("--target=PingA");

        result.ExitCode.ShouldNotBe(0);
        result.Output.ShouldContain("Error: Unidirectional edges in graph are not allowed.");
    }

    [Fact]
    public void Run_TaskForAnotherContext_IsLeftOutWithAWarning()
    {
        using var host = new HostFixture();
        host.Host.AddTask<NeedsOtherContextTask>();

        var result = host.Run("--target=Clean");

        result.ExitCode.ShouldBe(0, result.Output);
        result.Output.ShouldContain(
            $"Task cannot be used since the context isn't convertible to {typeof(OtherContext).FullName}."
        );
    }

    [Fact]
    public void Run_MissingWorkingDirectory_FailsNamingIt()
    {
        using var host = new HostFixture();
        var missing = host.Folder.Combine("does-not-exist");

        var result = host.Run("--target=Clean", $"--working={missing}");

        result.ExitCode.ShouldNotBe(0);
        result.Output.ShouldContain($"The working directory '{missing}' does not exist.");
    }
}
