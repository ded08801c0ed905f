using Cake.Core.Composition;
using Cake.Core.IO;

namespace Cake.Frosting;

/// <summary>The host configuration verbs; each is a thin wrapper over the service-collection verb of the same name.</summary>
public static class CakeHostExtensions
{
    public static CakeHost UseStartup<TStartup>(this CakeHost host)
        where TStartup : IFrostingStartup, new() => host.ConfigureServices(s => new TStartup().Configure(s));

    public static CakeHost UseContext<TContext>(this CakeHost host)
        where TContext : class, IFrostingContext => host.ConfigureServices(s => s.UseContext<TContext>());

    public static CakeHost UseLifetime<TLifetime>(this CakeHost host)
        where TLifetime : class, IFrostingLifetime => host.ConfigureServices(s => s.UseLifetime<TLifetime>());

    public static CakeHost UseSetup<TSetup>(this CakeHost host)
        where TSetup : class, IFrostingSetup => host.ConfigureServices(s => s.UseSetup<TSetup>());

    public static CakeHost UseTeardown<TTeardown>(this CakeHost host)
        where TTeardown : class, IFrostingTeardown => host.ConfigureServices(s => s.UseTeardown<TTeardown>());

    public static CakeHost UseTaskLifetime<TLifetime>(this CakeHost host)
        where TLifetime : class, IFrostingTaskLifetime => host.ConfigureServices(s => s.UseTaskLifetime<TLifetime>());

    public static CakeHost UseTaskSetup<TSetup>(this CakeHost host)
        where TSetup : class, IFrostingTaskSetup => host.ConfigureServices(s => s.UseTaskSetup<TSetup>());

    public static CakeHost UseTaskTeardown<TTeardown>(this CakeHost host)
        where TTeardown : class, IFrostingTaskTeardown => host.ConfigureServices(s => s.UseTaskTeardown<TTeardown>());

    public static CakeHost UseModule<TModule>(this CakeHost host)
        where TModule : ICakeModule, new() =>
        host.ConfigureServices(s => Cake.Cli.ServiceCollectionExtensions.UseModule<TModule>(s));

    public static CakeHost InstallTool(this CakeHost host, Uri uri) => host.ConfigureServices(s => s.UseTool(uri));

    public static CakeHost UseWorkingDirectory(this CakeHost host, DirectoryPath path) =>
        host.ConfigureServices(s => s.UseWorkingDirectory(path));

    public static CakeHost UseCakeSetting(this CakeHost host, string key, string value) =>
        host.ConfigureServices(s => s.UseCakeSetting(key, value));

    public static CakeHost SetToolPath(this CakeHost host, DirectoryPath path) =>
        host.ConfigureServices(s => s.UseToolPath(path));
}
