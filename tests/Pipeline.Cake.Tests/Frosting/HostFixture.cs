using Cake.Frosting;
using Microsoft.Extensions.DependencyInjection;
using Pipeline.Testing;

namespace Pipeline.Cake.Tests.Frosting;

/// <summary>A host over the sample graph in its own temp folder.</summary>
public sealed class HostFixture : IDisposable
{
    public HostFixture()
    {
        Host = new TestHost(Folder.Path)
            .Configure(s => s.AddSingleton(Log))
            .AddTask<CleanTask>()
            .AddTask<RestoreTask>()
            .AddTask<BuildTask>()
            .AddTask<SkippedTestTask>()
            .AddTask<PackageTask>()
            .AddTask<DefaultTask>()
            .AddTask<FailingTask>()
            .Configure(s => s.UseLifetime<RecordingLifetime>());
    }

    public TempDirectory Folder { get; } = new("host");

    public ExecutionLog Log { get; } = new();

    public TestHost Host { get; }

    public TestHostResult Run(params string[] args) => Host.Run(args);

    public void Dispose() => Folder.Dispose();
}
