using Cake.Core;
using Cake.Core.Configuration;
using Cake.Core.Diagnostics;
using Cake.Core.IO;
using Cake.Core.Packaging;
using Cake.Core.Tooling;
using Microsoft.Extensions.DependencyInjection;

namespace Cake.Frosting.Internal;

internal sealed record WorkingDirectory(DirectoryPath Path);

internal sealed record FrostingConfigurationValue(string Key, string Value);

internal static class FrostingConfiguration
{
    /// <summary>cake.config in the working directory, CAKE_* variables, then the host's own settings.</summary>
    public static ICakeConfiguration Create(IServiceProvider services)
    {
        var environment = services.GetRequiredService<ICakeEnvironment>();
        var values = services
            .GetServices<FrostingConfigurationValue>()
            .Select(v => new KeyValuePair<string, string>(v.Key, v.Value));
        return new CakeConfigurationProvider(
            services.GetRequiredService<IFileSystem>(),
            environment
        ).CreateConfiguration(
            environment.WorkingDirectory,
            values,
            new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        );
    }
}

/// <summary>Builds the real tool installer only when a tool is installed, so a plain run never loads NuGet.</summary>
internal sealed class DeferredToolInstaller(IServiceProvider services) : IToolInstaller
{
    public IEnumerable<FilePath> Install(PackageReference tool) =>
        new ToolInstaller(
            services.GetRequiredService<ICakeEnvironment>(),
            services.GetRequiredService<IToolLocator>(),
            services.GetRequiredService<ICakeConfiguration>(),
            services.GetRequiredService<ICakeLog>(),
            services.GetServices<IPackageInstaller>()
        ).Install(tool);
}

/// <summary><c>--version</c> reports the Cake engine the host runs on, as Cake.Frosting does.</summary>
internal sealed class EngineVersionResolver : Cake.Cli.IVersionResolver
{
    public string GetVersion() => typeof(ICakeContext).Assembly.GetName().Version?.ToString(3) ?? "Unknown";

    public string GetProductVersion() =>
        typeof(ICakeContext)
            .Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyInformationalVersionAttribute), false)
            .OfType<System.Reflection.AssemblyInformationalVersionAttribute>()
            .FirstOrDefault()
            ?.InformationalVersion
        ?? GetVersion();
}
