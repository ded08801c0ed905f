using Cake.Common.Tools.DotNet;
using Cake.Common.Tools.DotNet.Run;

namespace Pipeline.Build.Tasks;

[TaskName("Serve")]
[TaskDescription(
    "Runs the workload's API (the image of config/images.json that ships its model) on http://127.0.0.1:<port> "
        + "with the extracted model (its metrics on --metrics-port); stops on Ctrl+C."
)]
public sealed class Serve : FrostingTask<BuildContext>
{
    private static readonly BuildArgument<int> Port = new("port", 8080, "the loopback port to serve on", "N");
    private static readonly BuildArgument<int> MetricsPort = new(
        "metrics-port",
        9090,
        "the loopback port of /metrics",
        "N"
    );
    private static readonly BuildArgument<string> ModelPath = new(
        "model-path",
        "artifacts/model",
        "the model folder to serve (hot-reloaded)",
        "DIR"
    );

    public override void Run(BuildContext context)
    {
        var service = context.Service;
        var model = context.MakeAbsolute(context.Directory(ModelPath.Get(context)));
        if (!context.FileExists(model.CombineWithFilePath(Pipeline.Delivery.Images.ImageBuilder.ModelMarker)))
        {
            context.Warning(
                "Serve: {0} has no extracted model yet; the API starts not ready and loads the model when ExtractModel writes it.",
                model
            );
        }

        var arguments = service.ServeArguments(
            Port.Get(context),
            MetricsPort.Get(context),
            model.FullPath,
            context.ServiceDatabase.FullPath
        );
        context.Information("Serve: {0} {1}", service.Name, string.Join(' ', arguments));
        context.DotNetRun(
            context.SourceRoot.CombineWithFilePath(service.Project).FullPath,
            new DotNetRunSettings
            {
                Configuration = context.BuildConfiguration,
                ArgumentCustomization = args =>
                    arguments.Aggregate(args, (all, argument) => all.AppendQuoted(argument)),
            }
        );
    }
}
