using Pipeline.Build.Arguments;
using Pipeline.DataVersioning.Operations;
using Pipeline.Training;

namespace Pipeline.Build.Tasks;

[TaskName("FetchDataset")]
[TaskDescription(
    "Downloads a published dataset (default: the Large Movie Review Dataset), verifies its SHA-256, converts it to CSV and tracks it with DVC."
)]
public sealed class FetchDataset(IEnumerable<IPublicDataset> datasets) : AsyncFrostingTask<BuildContext>
{
    private static readonly BuildArgument<string> Name = DataArguments.PublicDataset;
    private static readonly BuildArgument<string> Url = DataArguments.Url;
    private static readonly BuildArgument<string> Sha256 = DataArguments.Sha256;
    private static readonly BuildArgument<string> Folder = DataArguments.Path;

    public override async Task RunAsync(BuildContext context)
    {
        var known = datasets.ToList();
        var name = Name.Get(context);
        var dataset =
            (name.Length == 0 ? known.FirstOrDefault() : known.FirstOrDefault(d => d.Name == name))
            ?? throw new CakeException(
                $"--public-dataset: '{name}' is not a published dataset the workloads know; known: {string.Join(", ", known.Select(d => d.Name))}."
            );
        var url =
            Url.Get(context) is not { Length: > 0 } mirror ? dataset.Url
            : Uri.TryCreate(mirror, UriKind.Absolute, out var parsed) ? parsed
            : throw new CakeException($"--url: '{mirror}' is not an absolute URL.");
        var sha256 =
            Sha256.Get(context) is not { Length: > 0 } digest ? dataset.Sha256
            : digest.Length == 64 && digest.All(char.IsAsciiHexDigit) ? digest
            : throw new CakeException($"--sha256: '{digest}' is not a SHA-256 (64 hex digits).");
        var repository = DvcRepository.TryOpen(context.Root.FullPath) ?? DvcRepository.Init(context.Root.FullPath);
        context.Information("FetchDataset: {0}", dataset.Description);
        using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(30) };
        var files = await DataImport.ImportAsync(
            repository,
            new ImportRequest(
                url,
                sha256,
                Folder.Get(context) is { Length: > 0 } folder ? folder : dataset.DefaultFolder,
                (archive, output) => dataset.Convert(archive, output)
            ),
            http,
            message => context.Information(message)
        );
        foreach (var file in files)
        {
            context.Information(
                "FetchDataset: {0} is md5 {1} ({2} bytes); commit {3} to git.",
                context.DisplayPath(file.Path),
                file.Added.Id.Value,
                file.Added.Size,
                repository.RelativePath(file.Added.DvcFilePath)
            );
        }
    }
}
