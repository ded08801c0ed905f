namespace Pipeline.Training;

/// <summary>
/// A public dataset a workload trains a real model on, fetched by the FetchDataset stage: where its publisher serves
/// the archive, the SHA-256 it is pinned to, and how the archive becomes the workload's dataset files. Registered
/// next to the workload's trainer, so the stage itself names no dataset.
/// </summary>
public interface IPublicDataset
{
    /// <summary>The name <c>--name</c> picks it by, e.g. <c>imdb</c>.</summary>
    string Name { get; }

    string Description { get; }

    /// <summary>The publisher's address for the archive.</summary>
    Uri Url { get; }

    /// <summary>The archive's SHA-256 (lower-case hex); a download with any other digest is refused.</summary>
    string Sha256 { get; }

    /// <summary>Where the dataset files go, relative to the repository, e.g. <c>data/imdb</c>.</summary>
    string DefaultFolder { get; }

    /// <summary>Reads the verified archive and writes the dataset files into <paramref name="outputDirectory"/>; returns their file names.</summary>
    IReadOnlyList<string> Convert(
        string archivePath,
        string outputDirectory,
        CancellationToken cancellationToken = default
    );
}
