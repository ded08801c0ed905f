using System.Security.Cryptography;

namespace Pipeline.DataVersioning.Operations;

/// <param name="Url">The archive to download.</param>
/// <param name="Sha256">Its published SHA-256; any other digest is refused before anything is written.</param>
/// <param name="Folder">The workspace folder the converted files go to.</param>
/// <param name="Convert">Turns the verified archive into files in a staging folder; returns their names.</param>
public sealed record ImportRequest(
    Uri Url,
    string Sha256,
    string Folder,
    Func<string, string, IReadOnlyList<string>> Convert
);

/// <summary>One file the import wrote and tracked.</summary>
public sealed record ImportedFile(string Path, AddResult Added);

/// <summary>
/// Brings a published dataset into the workspace the way <c>dvc import-url</c> does, with the checksum its publisher
/// pins: download to a temporary file while hashing it, refuse a digest that differs, convert in a staging folder,
/// move each file into place (replacing the old one whole), and track each with DVC (<c>dvc add</c>). A failure at any
/// point leaves the workspace as it was.
/// </summary>
public static class DataImport
{
    public static async Task<IReadOnlyList<ImportedFile>> ImportAsync(
        DvcRepository repository,
        ImportRequest request,
        HttpClient http,
        Action<string> log,
        CancellationToken cancellationToken = default
    )
    {
        var folder = Path.GetFullPath(request.Folder, repository.Root);
        var staging = Path.Combine(repository.DvcDirectory, "tmp", $"import-{Guid.NewGuid():N}");
        Directory.CreateDirectory(staging);
        try
        {
            var archive = Path.Combine(staging, "download");
            log($"Downloading {request.Url}");
            var digest = await DownloadAsync(http, request.Url, archive, cancellationToken);
            if (!string.Equals(digest, request.Sha256, StringComparison.OrdinalIgnoreCase))
            {
                throw new DvcException(
                    $"{request.Url}: the download's SHA-256 is {digest}, not the published {request.Sha256.ToLowerInvariant()}; nothing was written (a truncated or altered download)."
                );
            }

            log($"SHA-256 {digest} matches; converting");
            var converted = Path.Combine(staging, "converted");
            Directory.CreateDirectory(converted);
            var names = request.Convert(archive, converted);
            Directory.CreateDirectory(folder);
            return names
                .Select(name =>
                {
                    var target = Path.Combine(folder, name);
                    File.Move(Path.Combine(converted, name), target, overwrite: true);
                    return new ImportedFile(target, DataAdd.Add(repository, target));
                })
                .ToList();
        }
        finally
        {
            Directory.Delete(staging, recursive: true);
        }
    }

    private static async Task<string> DownloadAsync(
        HttpClient http,
        Uri url,
        string destination,
        CancellationToken cancellationToken
    )
    {
        try
        {
            using var response = await http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                throw new DvcException(
                    $"{url}: the download answered {(int)response.StatusCode} {response.ReasonPhrase}."
                );
            }

            using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            await using var source = await response.Content.ReadAsStreamAsync(cancellationToken);
            await using var file = File.Create(destination);
            var buffer = new byte[1 << 16];
            int read;
            while ((read = await source.ReadAsync(buffer, cancellationToken)) > 0)
            {
                sha.AppendData(buffer, 0, read);
                await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            }

            return Convert.ToHexStringLower(sha.GetHashAndReset());
        }
        catch (Exception ex)
            when (ex is HttpRequestException or IOException
                || ex is TaskCanceledException && !cancellationToken.IsCancellationRequested
            )
        {
            throw new DvcException($"{url}: the download failed: {ex.Message}");
        }
    }
}
