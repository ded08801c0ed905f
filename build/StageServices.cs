using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Pipeline.Training;

namespace Pipeline.Build;

/// <summary>How a build host takes on the stock stages: their context and lifetimes, and the models it trains.</summary>
public static class StageServices
{
    /// <summary>
    /// Registers the stages' context and lifetimes the workloads' trainers and the public datasets they train on. Add the stages' assembly to the host
    /// (<c>CakeHost.AddAssembly(typeof(BuildContext).Assembly)</c>) so their task classes are found.
    /// </summary>
    public static IServiceCollection UsePipelineStages(
        this IServiceCollection services,
        IEnumerable<IModelTrainer> trainers,
        IEnumerable<IPublicDataset>? publicDatasets = null
    )
    {
        services.UseContext<BuildContext>();
        // CollectDaily needs a source of served predictions; a host that collects none need not know the type.
        services.TryAddSingleton<Pipeline.Collection.Daily.IReviewSourceFactory, NoReviewSource>();
        services.UseLifetime<BuildLifetime>();
        services.UseTaskLifetime<TaskLifetime>();
        foreach (var trainer in trainers)
        {
            services.AddSingleton(trainer);
        }

        foreach (var dataset in publicDatasets ?? [])
        {
            services.AddSingleton(dataset);
        }

        return services;
    }

    private sealed class NoReviewSource : Pipeline.Collection.Daily.IReviewSourceFactory
    {
        public (Pipeline.Collection.Daily.IReviewSource Source, string Description) Open(
            string? postgresConnectionString,
            string sqlitePath
        ) =>
            throw new InvalidOperationException(
                "CollectDaily: this build host registers no IReviewSourceFactory (where served predictions are read)."
            );
    }
}
