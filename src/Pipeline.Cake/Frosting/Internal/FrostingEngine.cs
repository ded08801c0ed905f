using Cake.Cli;
using Cake.Core;
using Cake.Core.Diagnostics;
using Cake.Core.Packaging;
using Cake.Core.Scripting;
using Cake.Core.Tooling;
using Microsoft.Extensions.DependencyInjection;
using Pipeline.Cake.Arguments;

namespace Cake.Frosting.Internal;

/// <summary>Feeds the discovered task classes and lifetimes to the Cake engine, then runs one of Cake.Cli's four hosts.</summary>
internal sealed class FrostingEngine(IServiceProvider services, ICakeEngine engine, ICakeLog log)
{
    public void Run(ExecutionMode mode, IReadOnlyList<string> targets, bool exclusive)
    {
        var context = services.GetRequiredService<IFrostingContext>();
        RegisterTasks(context);
        RegisterLifetimes(context);

        IScriptHost host = mode switch
        {
            ExecutionMode.DryRun => services.GetRequiredService<DryRunScriptHost<IFrostingContext>>(),
            ExecutionMode.Tree => services.GetRequiredService<TreeScriptHost>(),
            ExecutionMode.Description => services.GetRequiredService<DescriptionScriptHost>(),
            _ => services.GetRequiredService<BuildScriptHost<IFrostingContext>>(),
        };

        InstallTools();
        if (exclusive)
        {
            host.Settings.UseExclusiveTarget();
        }

        // Cake words its output "Target is: X" for one target and "Targets are: a, b" for several.
        var run = targets.Count == 1 ? host.RunTargetAsync(targets[0]) : host.RunTargetsAsync(targets);
        run.GetAwaiter().GetResult();
    }

    private void RegisterTasks(IFrostingContext context)
    {
        foreach (var task in services.GetServices<IFrostingTask>())
        {
            var type = task.GetType();
            var name = TaskTypes.GetTaskName(type);
            log.Debug("Registering task: {0}", name);

            var contextType = TaskTypes.GetContextType(type);
            if (!contextType.IsInstanceOfType(context))
            {
                log.Warning(
                    "Task cannot be used since the context isn't convertible to {0}.",
                    contextType.FullName ?? contextType.Name
                );
                continue;
            }

            var builder = engine.RegisterTask(name);
            // The declared arguments join the description, so --description lists what each target reads.
            if (TargetCatalog.DescriptionWithArguments(TargetCatalog.Describe(type)) is { Length: > 0 } description)
            {
                builder.Description(description);
            }

            if (TaskTypes.IsOverridden(type, "Run") || TaskTypes.IsOverridden(type, "RunAsync"))
            {
                builder.Does(() => task.RunAsync(context));
            }

            if (TaskTypes.IsOverridden(type, "ShouldRun"))
            {
                builder.WithCriteria(() => task.ShouldRun(context), task.SkippedMessage);
            }

            if (TaskTypes.IsContinueOnError(type))
            {
                builder.ContinueOnError();
            }

            if (TaskTypes.IsOverridden(type, "OnError"))
            {
                builder.OnError(exception => task.OnError(exception, context));
            }

            if (TaskTypes.IsOverridden(type, "Finally"))
            {
                builder.Finally(() => task.Finally(context));
            }

            foreach (var dependency in TaskTypes.GetDependencies(type))
            {
                builder.IsDependentOn(TaskTypes.GetValidTaskName(dependency, "dependency"));
            }

            foreach (var dependee in TaskTypes.GetDependees(type))
            {
                builder.IsDependeeOf(TaskTypes.GetValidTaskName(dependee, "reverse dependency"));
            }
        }
    }

    private void RegisterLifetimes(IFrostingContext context)
    {
        foreach (var setup in services.GetServices<IFrostingSetup>())
        {
            engine.RegisterSetupAction(info => setup.Setup(context, info));
        }

        foreach (var teardown in services.GetServices<IFrostingTeardown>())
        {
            engine.RegisterTeardownAction(info => teardown.Teardown(context, info));
        }

        foreach (var setup in services.GetServices<IFrostingTaskSetup>())
        {
            engine.RegisterTaskSetupAction(info => setup.Setup(context, info));
        }

        foreach (var teardown in services.GetServices<IFrostingTaskTeardown>())
        {
            engine.RegisterTaskTeardownAction(info => teardown.Teardown(context, info));
        }
    }

    private void InstallTools()
    {
        var tools = services.GetServices<PackageReference>().ToList();
        if (tools.Count == 0)
        {
            return;
        }

        log.Verbose("Installing tools...");
        var installer = services.GetRequiredService<IToolInstaller>();
        foreach (var tool in tools)
        {
            installer.Install(tool);
        }
    }
}
