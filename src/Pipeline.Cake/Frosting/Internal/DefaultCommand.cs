using Cake.Cli;
using Cake.Cli.Infrastructure;
using Cake.Core;
using Cake.Core.Diagnostics;
using Cake.Core.IO;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console.Cli;

namespace Cake.Frosting.Internal;

internal sealed class DefaultCommand(IServiceCollection services) : Command<DefaultCommandSettings>
{
    public override int Execute(
        CommandContext context,
        DefaultCommandSettings settings,
        CancellationToken cancellationToken
    )
    {
        services.AddSingleton<ICakeArguments>(context.Remaining.ToCakeArguments([.. settings.EffectiveTargets]));
        services.AddSingleton(context.Remaining);

        using var provider = services.BuildServiceProvider();
        var log = provider.GetRequiredService<ICakeLog>();
        try
        {
            if (settings.Version)
            {
                provider.GetRequiredService<VersionFeature>().Run(provider.GetRequiredService<IConsole>());
                return 0;
            }

            if (settings.Info)
            {
                provider.GetRequiredService<InfoFeature>().Run(provider.GetRequiredService<IConsole>());
                return 0;
            }

            log.Verbosity = settings.Verbosity;
            SetWorkingDirectory(provider, settings);
            provider
                .GetRequiredService<FrostingEngine>()
                .Run(settings.Mode, settings.EffectiveTargets, settings.Exclusive);
            return 0;
        }
        catch (Exception ex)
        {
            ExceptionLogger.LogException(log, ex);
            return -1;
        }
    }

    private static void SetWorkingDirectory(IServiceProvider provider, DefaultCommandSettings settings)
    {
        var fileSystem = provider.GetRequiredService<IFileSystem>();
        var environment = provider.GetRequiredService<ICakeEnvironment>();

        var directory =
            settings.WorkingDirectory ?? provider.GetService<WorkingDirectory>()?.Path ?? environment.WorkingDirectory;
        directory = directory.MakeAbsolute(environment);
        if (!fileSystem.Exist(directory))
        {
            throw new FrostingException($"The working directory '{directory.FullPath}' does not exist.");
        }

        environment.WorkingDirectory = directory;
    }
}
