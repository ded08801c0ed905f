using Pipeline.Build.Arguments;
using Pipeline.Delivery.Images;

namespace Pipeline.Build.Tasks;

[TaskName("BuildImages")]
[TaskDescription(
    "Builds the service images of config/images.json with the extracted model, tagged <registry>/<name>:<version> and :latest; "
        + "their ids go to artifacts/images.json."
)]
[IsDependentOn(typeof(Train))]
[IsDependentOn(typeof(ExtractModel))]
public sealed class BuildImages(IEnumerable<Pipeline.Training.IModelTrainer> trainers) : FrostingTask<BuildContext>
{
    private static readonly BuildArgument<string> Registry = ImageArguments.Registry;
    private static readonly BuildArgument<string> ImageTool = ImageArguments.ImageTool;
    private static readonly BuildArgument<string> BaseImage = ImageArguments.BaseImage;
    private static readonly BuildFlag Prebuilt = ImageArguments.Prebuilt;
    private static readonly RepeatableArgument Image = ImageArguments.Image;

    public override void Run(BuildContext context)
    {
        var catalog = context.ImageCatalog;
        var runId =
            context.Model?.RunId
            ?? Pipeline.Tracking.ModelExtractor.ReadLineage(context.ModelDirectory.FullPath, "run_id")
            ?? "unknown";
        context.Images = ImageBuilder.Build(
            context,
            new ImageBuildRequest(
                catalog,
                // The workload whose model ships: the extracted model's (by its flavor), else the config's.
                catalog.Select(
                    Image.Get(context),
                    Pipeline.TrainingRuns.TrackedTraining.TrainerOf(trainers, context.ModelDirectory.FullPath)?.Name
                        ?? context.TrainingConfigIfAny?.Model
                ),
                Registry.Get(context),
                context.Version.Version,
                context.Version.Commit,
                runId,
                context.SourceRoot,
                context.ModelDirectory,
                context.Artifacts,
                context.ContainerTool,
                Prebuilt.Get(context),
                BaseImage.Get(context)
            )
        );
        context.Summary.SetSection(
            "Images",
            string.Join('\n', context.Images.Select(i => $"- `{i.Repository}:{i.Tags[0]}` image `{i.ImageId}`"))
        );
    }
}
