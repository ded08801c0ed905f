using Cake.Common.Tools.DotNet;
using Cake.Common.Tools.DotNet.Run;

namespace Pipeline.Build.Tasks;

[TaskName("Serve")]
[TaskDescription(
    "Runs the workload's API (the image of config/images.json that ships its model) on http://127.0.0.1:<port> "
        + "with the extracted model; stops on Ctrl+C."
)]
public sealed class Serve : FrostingTask<BuildContext>
{
    private static readonly BuildArgument<int> Port = new("port", 8080, "the loopback port to serve on", "N");
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
        if (!context.FileExists(model.CombineWithFilePath("model.zip")))
        {
            context.Warning(
                "Serve: {0} has no model.zip yet; the API starts not ready and loads the model when ExtractModel writes it.",
                model
            );
        }

        var url = $"http://127.0.0.1:{Port.Get(context)}";
        context.Information(
            "Serve: {0} ({1}; web page /, API docs /docs, metrics /metrics), model from {2}",
            url,
            service.Name,
            model
        );
        context.DotNetRun(
            context.SourceRoot.CombineWithFilePath(service.Project).FullPath,
            new DotNetRunSettings
            {
                Configuration = context.BuildConfiguration,
                ArgumentCustomization = args =>
                    args.Append("--urls")
                        .AppendQuoted(url)
                        .Append($"--{service.ServeSetting("model_path")}={model.FullPath}")
                        .Append($"--{service.ServeSetting("database_path")}={context.ServiceDatabase.FullPath}"),
            }
        );
    }
}
