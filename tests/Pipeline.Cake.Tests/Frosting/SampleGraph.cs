using Cake.Core;
using Cake.Frosting;

namespace Pipeline.Cake.Tests.Frosting;

/// <summary>What the tasks of one host run did, in order; one instance per host, so tests stay parallel-safe.</summary>
public sealed class ExecutionLog
{
    private readonly List<string> _entries = [];

    public IReadOnlyList<string> Entries
    {
        get
        {
            lock (_entries)
            {
                return [.. _entries];
            }
        }
    }

    public void Add(string entry)
    {
        lock (_entries)
        {
            _entries.Add(entry);
        }
    }
}

// The graph of the Cake 7 output samples: Default → Package → Test (criteria false) → Build → Restore → Clean, plus Fail → Clean.
[TaskName("Clean")]
public sealed class CleanTask(ExecutionLog log) : FrostingTask<FrostingContext>
{
    public override void Run(FrostingContext context) => log.Add("Clean");
}

[TaskName("Restore")]
[IsDependentOn(typeof(CleanTask))]
public sealed class RestoreTask(ExecutionLog log) : FrostingTask<FrostingContext>
{
    public override void Run(FrostingContext context) => log.Add("Restore");
}

[TaskName("Build")]
[TaskDescription("Compiles everything.")]
[IsDependentOn(typeof(RestoreTask))]
public sealed class BuildTask(ExecutionLog log) : AsyncFrostingTask<FrostingContext>
{
    public override async Task RunAsync(FrostingContext context)
    {
        await Task.Yield();
        log.Add("Build");
    }
}

[TaskName("Test")]
[IsDependentOn(typeof(BuildTask))]
public sealed class SkippedTestTask(ExecutionLog log) : FrostingTask<FrostingContext>
{
    public override string SkippedMessage => "no test projects";

    public override bool ShouldRun(FrostingContext context)
    {
        log.Add("Test:criteria");
        return false;
    }

    public override void Run(FrostingContext context) => log.Add("Test");
}

[TaskName("Package")]
[IsDependentOn(typeof(SkippedTestTask))]
public sealed class PackageTask(ExecutionLog log) : FrostingTask<FrostingContext>
{
    public override void Run(FrostingContext context) => log.Add("Package");
}

[TaskName("Default")]
[IsDependentOn(typeof(PackageTask))]
public sealed class DefaultTask : FrostingTask<FrostingContext> { }

[TaskName("Fail")]
[IsDependentOn(typeof(CleanTask))]
public sealed class FailingTask(ExecutionLog log) : FrostingTask<FrostingContext>
{
    public override void Run(FrostingContext context) => throw new InvalidOperationException("boom");

    public override void OnError(Exception exception, FrostingContext context) =>
        log.Add("Fail:OnError:" + exception.Message);

    public override void Finally(FrostingContext context) => log.Add("Fail:Finally");
}

public sealed class RecordingLifetime(ExecutionLog log) : FrostingLifetime<FrostingContext>
{
    public override void Setup(FrostingContext context, ISetupContext info) => log.Add("Setup");

    public override void Teardown(FrostingContext context, ITeardownContext info) =>
        log.Add($"Teardown:{(info.Successful ? "ok" : "failed")}");
}

public sealed class RecordingTaskLifetime(ExecutionLog log) : FrostingTaskLifetime<FrostingContext>
{
    public override void Setup(FrostingContext context, ITaskSetupContext info) =>
        log.Add("TaskSetup:" + info.Task.Name);

    public override void Teardown(FrostingContext context, ITaskTeardownContext info) =>
        log.Add("TaskTeardown:" + info.Task.Name);
}

[TaskName("CycleA")]
[IsDependentOn(typeof(CycleB))]
public sealed class CycleA : FrostingTask<FrostingContext> { }

[TaskName("CycleB")]
[IsDependentOn(typeof(CycleC))]
public sealed class CycleB : FrostingTask<FrostingContext> { }

[TaskName("CycleC")]
[IsDependentOn(typeof(CycleA))]
public sealed class CycleC : FrostingTask<FrostingContext> { }

[TaskName("PingA")]
[IsDependentOn(typeof(PingB))]
public sealed class PingA : FrostingTask<FrostingContext> { }

[TaskName("PingB")]
[IsDependentOn(typeof(PingA))]
public sealed class PingB : FrostingTask<FrostingContext> { }

/// <summary>Throws with no error handler, so the failure ends the run.</summary>
[TaskName("Crash")]
[IsDependentOn(typeof(CleanTask))]
public sealed class CrashingTask(ExecutionLog log) : FrostingTask<FrostingContext>
{
    public override void Run(FrostingContext context) => throw new InvalidOperationException("boom");

    public override void Finally(FrostingContext context) => log.Add("Crash:Finally");
}

[TaskName("Flaky")]
[ContinueOnError]
public sealed class FlakyTask(ExecutionLog log) : FrostingTask<FrostingContext>
{
    public override void Run(FrostingContext context)
    {
        log.Add("Flaky");
        throw new InvalidOperationException("flaky failure");
    }
}

[TaskName("AfterFlaky")]
[IsDependentOn(typeof(FlakyTask))]
public sealed class AfterFlakyTask(ExecutionLog log) : FrostingTask<FrostingContext>
{
    public override void Run(FrostingContext context) => log.Add("AfterFlaky");
}

[TaskName("Lint")]
[IsDependeeOf(typeof(BuildTask))]
public sealed class LintTask(ExecutionLog log) : FrostingTask<FrostingContext>
{
    public override void Run(FrostingContext context) => log.Add("Lint");
}

/// <summary>Records the Cake arguments it sees, to test the command line.</summary>
[TaskName("Probe")]
public sealed class ArgumentProbeTask(ExecutionLog log) : FrostingTask<FrostingContext>
{
    public override void Run(FrostingContext context)
    {
        foreach (var (name, values) in context.Arguments.GetArguments().OrderBy(a => a.Key, StringComparer.Ordinal))
        {
            log.Add($"{name}={string.Join('|', values)}");
        }

        log.Add($"verbosity={context.Log.Verbosity}");
        log.Add($"cwd={context.Environment.WorkingDirectory.FullPath}");
    }
}

public sealed class OtherContext(ICakeContext context) : FrostingContext(context);

[TaskName("NeedsOtherContext")]
public sealed class NeedsOtherContextTask : FrostingTask<OtherContext>
{
    public override void Run(OtherContext context) { }
}
