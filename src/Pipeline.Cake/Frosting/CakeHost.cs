using System.Reflection;
using Cake.Cli;
using Cake.Core.Configuration;
using Cake.Core.Tooling;
using Cake.Frosting.Internal;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console.Cli;

namespace Cake.Frosting;

/// <summary>
/// The build host: Cake.Frosting's public shape over the real Cake 7 engine (Cake.Core, Cake.Common, Cake.Cli).
/// </summary>
public sealed class CakeHost
{
    private readonly IServiceCollection _services;
    private readonly List<Assembly> _assemblies;

    public CakeHost()
    {
        _services = CreateServiceCollection();
        _assemblies = [];
        if (Assembly.GetEntryAssembly() is { } entry)
        {
            _assemblies.Add(entry);
        }
    }

    public static CakeHost Create() => new();

    /// <summary>Also scan this assembly for tasks.</summary>
    public CakeHost AddAssembly(Assembly assembly)
    {
        _assemblies.Add(assembly);
        return this;
    }

    public CakeHost ConfigureServices(Action<IServiceCollection> configure)
    {
        configure(_services);
        return this;
    }

    /// <summary>Parses the command line and runs. Returns 0 on success and -1 (255 on Linux) on any failure.</summary>
    public int Run(IEnumerable<string> args)
    {
        foreach (var task in FindTasks(_assemblies))
        {
            _services.AddSingleton(typeof(IFrostingTask), task);
        }

        var registrar = new TypeRegistrar();
        registrar.RegisterInstance(typeof(IServiceCollection), _services);

        var app = new CommandApp<DefaultCommand>(registrar);
        app.Configure(config =>
        {
            config.AddExample([]);
            config.AddExample("--verbosity", "quiet");
            config.AddExample("--tree");
            // "--version=1.2.3" reaches the build as Argument("version") instead of being taken as the flag.
            config.Settings.ConvertFlagsToRemainingArguments = true;
        });
        return app.Run(args);
    }

    private static IEnumerable<Type> FindTasks(IEnumerable<Assembly> assemblies) =>
        assemblies
            .Distinct()
            .SelectMany(a => a.GetExportedTypes())
            .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IFrostingTask).IsAssignableFrom(t));

    private static ServiceCollection CreateServiceCollection()
    {
        var services = new ServiceCollection();
        services.AddCakeDiagnostics();
        services.UseCakeDefaultModules();

        services.AddSingleton<ICakeConfiguration>(FrostingConfiguration.Create);
        services.AddSingleton<IToolInstaller, DeferredToolInstaller>();

        services.AddSingleton<BuildScriptHost<IFrostingContext>>();
        services.AddSingleton<DryRunScriptHost<IFrostingContext>>();
        services.AddSingleton<TreeScriptHost>();
        services.AddSingleton<DescriptionScriptHost>();

        services.AddSingleton<IVersionResolver, EngineVersionResolver>();
        services.AddSingleton<VersionFeature>();
        services.AddSingleton<InfoFeature>();

        services.AddSingleton<FrostingEngine>();
        services.AddSingleton<FrostingContext>();
        services.AddSingleton<IFrostingContext>(sp => sp.GetRequiredService<FrostingContext>());
        return services;
    }
}
