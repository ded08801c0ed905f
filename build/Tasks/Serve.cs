using Cake.Common.Tools.DotNet;
using Cake.Common.Tools.DotNet.Run;

namespace Pipeline.Build.Tasks;

[TaskName("Serve")]
[TaskDescription("Runs the sentiment API and web page on http://127.0.0.1:8080 with the extracted model (artifacts/model); --port, --model-path. Stops on Ctrl+C.")]
public sealed class Serve : FrostingTask<BuildContext>
{
    public override void Run(BuildContext context)
    {
        var model = context.MakeAbsolute(context.Directory(context.Argument("model-path", "artifacts/model")));
        if (!context.FileExists(model.CombineWithFilePath("model.zip")))
        {
            context.Warning("Serve: {0} has no model.zip yet; the API starts not ready and loads the model when ExtractModel writes it.", model);
        }

        var url = $"http://127.0.0.1:{context.Argument("port", 8080)}";
        context.Information("Serve: {0} (web page /, API docs /docs, metrics /metrics), model from {1}", url, model);
        context.DotNetRun(context.Root.CombineWithFilePath("src/Sentiment.Api/Sentiment.Api.csproj").FullPath, new DotNetRunSettings
        {
            Configuration = context.BuildConfiguration,
            ArgumentCustomization = args => args
                .Append("--urls").AppendQuoted(url)
                .Append($"--Sentiment:ModelPath={model.FullPath}")
                .Append($"--Sentiment:SqlitePath={context.Artifacts.CombineWithFilePath("reviews.db").FullPath}"),
        });
    }
}
