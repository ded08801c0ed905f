using Cake.Core.IO;
using Cake.Core.Packaging;
using Cake.Frosting.Internal;
using Microsoft.Extensions.DependencyInjection;

namespace Cake.Frosting;

public static class ServiceCollectionExtensions
{
    /// <summary>Sets the context type; only the last registration counts. The context is also injectable into tasks as itself.</summary>
    public static IServiceCollection UseContext<TContext>(this IServiceCollection services)
        where TContext : class, IFrostingContext
    {
        services.AddSingleton<TContext>();
        services.AddSingleton<IFrostingContext>(sp => sp.GetRequiredService<TContext>());
        return services;
    }

    public static IServiceCollection UseLifetime<TLifetime>(this IServiceCollection services)
        where TLifetime : class, IFrostingLifetime
    {
        services.AddSingleton<TLifetime>();
        services.AddSingleton<IFrostingLifetime>(sp => sp.GetRequiredService<TLifetime>());
        services.AddSingleton<IFrostingSetup>(sp => sp.GetRequiredService<TLifetime>());
        services.AddSingleton<IFrostingTeardown>(sp => sp.GetRequiredService<TLifetime>());
        return services;
    }

    public static IServiceCollection UseSetup<TSetup>(this IServiceCollection services)
        where TSetup : class, IFrostingSetup => services.AddSingleton<IFrostingSetup, TSetup>();

    public static IServiceCollection UseTeardown<TTeardown>(this IServiceCollection services)
        where TTeardown : class, IFrostingTeardown => services.AddSingleton<IFrostingTeardown, TTeardown>();

    public static IServiceCollection UseTaskLifetime<TLifetime>(this IServiceCollection services)
        where TLifetime : class, IFrostingTaskLifetime
    {
        services.AddSingleton<TLifetime>();
        services.AddSingleton<IFrostingTaskSetup>(sp => sp.GetRequiredService<TLifetime>());
        services.AddSingleton<IFrostingTaskTeardown>(sp => sp.GetRequiredService<TLifetime>());
        return services;
    }

    public static IServiceCollection UseTaskSetup<TSetup>(this IServiceCollection services)
        where TSetup : class, IFrostingTaskSetup => services.AddSingleton<IFrostingTaskSetup, TSetup>();

    public static IServiceCollection UseTaskTeardown<TTeardown>(this IServiceCollection services)
        where TTeardown : class, IFrostingTaskTeardown => services.AddSingleton<IFrostingTaskTeardown, TTeardown>();

    /// <summary>For example <c>new Uri("nuget:?package=xunit.runner.console")</c>.</summary>
    public static IServiceCollection UseTool(this IServiceCollection services, Uri uri) =>
        services.AddSingleton(new PackageReference(uri.OriginalString));

    /// <summary>The default working directory; <c>--working</c> overrides it.</summary>
    public static IServiceCollection UseWorkingDirectory(this IServiceCollection services, DirectoryPath path) =>
        services.AddSingleton(new WorkingDirectory(path));

    public static IServiceCollection UseCakeSetting(this IServiceCollection services, string key, string value) =>
        services.AddSingleton(new FrostingConfigurationValue(key, value));

    /// <summary>The same as the setting <c>paths_tools</c>.</summary>
    public static IServiceCollection UseToolPath(this IServiceCollection services, DirectoryPath path) =>
        services.UseCakeSetting("paths_tools", path.FullPath);
}
