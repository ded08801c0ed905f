using Microsoft.Extensions.DependencyInjection;
using Pipeline.Training;

namespace Pipeline.Build;

/// <summary>
/// Everything the host needs besides the task classes: the context, lifetimes, and the models the Train stage
/// can train. A new workload registers its <see cref="IModelTrainer"/> here; no stage changes.
/// </summary>
public sealed class Startup : IFrostingStartup
{
    public void Configure(IServiceCollection services)
    {
        services.UseContext<BuildContext>();
        services.UseLifetime<BuildLifetime>();
        services.UseTaskLifetime<TaskLifetime>();
        services.AddSingleton<IModelTrainer, Sentiment.Model.SentimentTrainer>();
    }
}
