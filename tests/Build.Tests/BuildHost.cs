using Cake.Frosting;
using Microsoft.Extensions.DependencyInjection;
using Pipeline.Testing;

namespace Pipeline.Build.Tests;

/// <summary>The real build (its context, lifetimes and every task) run in-process against a temp folder.</summary>
internal static class BuildHost
{
    public static TestHost For(string workingDirectory) =>
        new TestHost(workingDirectory).Configure(services =>
        {
            new Pipeline.Build.Host.Startup().Configure(services);
            foreach (
                var task in typeof(BuildContext)
                    .Assembly.GetExportedTypes()
                    .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IFrostingTask).IsAssignableFrom(t))
            )
            {
                services.AddSingleton(typeof(IFrostingTask), task);
            }
        });
}
