using Pipeline.Build.Arguments;
using Pipeline.Delivery.Images;

namespace Pipeline.Build.Tasks;

[TaskName("PushImages")]
[TaskDescription(
    "Logs in (REGISTRY_USERNAME/REGISTRY_PASSWORD, password on stdin) and pushes the built images; "
        + "records their digests in artifacts/images.json for Deploy."
)]
[IsDependentOn(typeof(BuildImages))]
public sealed class PushImages : FrostingTask<BuildContext>
{
    private static readonly BuildArgument<string> ImageTool = ImageArguments.ImageTool;

    public override void Run(BuildContext context)
    {
        context.Images = ImagePusher.Push(
            context,
            context.BuiltImages,
            context.ContainerTool,
            RegistryCredentials.FromEnvironment(context.Environment.GetEnvironmentVariable),
            context.Artifacts
        );
        context.Summary.SetSection(
            "Images",
            string.Join('\n', context.Images.Select(i => $"- `{i.DeployReference}` (tags {string.Join(", ", i.Tags)})"))
        );
    }
}
