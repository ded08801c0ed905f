using Microsoft.Extensions.DependencyInjection;
using Pipeline.Collection.Daily;
using Pipeline.Workloads;
using Sentiment.Datasets;

namespace Pipeline.Build.Host;

/// <summary>This repository's build: the stock stages, the workloads it trains, and where collection reads served reviews.</summary>
public sealed class Startup : IFrostingStartup
{
    public void Configure(IServiceCollection services)
    {
        services.UsePipelineStages(WorkloadCatalog.Trainers, WorkloadCatalog.PublicDatasets);
        services.AddSingleton<IReviewSourceFactory, ReviewDatabaseSources>();
    }
}
