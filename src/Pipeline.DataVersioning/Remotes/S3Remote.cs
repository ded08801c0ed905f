using System.Net;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;

namespace Pipeline.DataVersioning.Remotes;

/// <summary>
/// An S3 or S3-compatible remote (<c>url = s3://bucket/prefix</c>, <c>endpointurl</c> for MinIO, s3rver and the like).
/// Credentials come from the remote's config, else the standard AWS environment variables.
/// </summary>
public sealed class S3Remote : IDvcRemote
{
    private readonly AmazonS3Client _client;
    private readonly string _bucket;
    private readonly string _prefix;

    public S3Remote(
        string name,
        string url,
        IReadOnlyDictionary<string, string> options,
        Func<string, string?> environment
    )
    {
        Name = name;
        (_client, _bucket, _prefix) = S3Clients.Create(url, options, environment, $"remote '{name}'");
        Description = $"'{name}' ({url})";
    }

    public string Name { get; }

    public string Description { get; }

    public bool CanWrite => true;

    public async Task<bool> ExistsAsync(string relativePath, CancellationToken cancellationToken)
    {
        try
        {
            await Call(() => _client.GetObjectMetadataAsync(_bucket, Key(relativePath), cancellationToken));
            return true;
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    public async Task DownloadAsync(string relativePath, string destinationFile, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await Call(() =>
                _client.GetObjectAsync(_bucket, Key(relativePath), cancellationToken)
            );
            await using var target = new FileStream(
                destinationFile,
                FileMode.Create,
                FileAccess.Write,
                FileShare.None,
                1 << 16,
                useAsync: true
            );
            await response.ResponseStream.CopyToAsync(target, cancellationToken);
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            throw new ObjectMissingException(relativePath);
        }
    }

    public async Task UploadAsync(string relativePath, string sourceFile, CancellationToken cancellationToken) =>
        await Call(() =>
            _client.PutObjectAsync(
                new PutObjectRequest
                {
                    BucketName = _bucket,
                    Key = Key(relativePath),
                    FilePath = sourceFile,
                    UseChunkEncoding = false,
                },
                cancellationToken
            )
        );

    public void Dispose() => _client.Dispose();

    private string Key(string relativePath) => _prefix.Length == 0 ? relativePath : _prefix + "/" + relativePath;

    private async Task<T> Call<T>(Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized)
        {
            throw new DvcException(
                $"remote {Description}: access denied ({ex.ErrorCode}): check the S3 credentials",
                ex
            );
        }
        catch (AmazonS3Exception ex) when (ex.ErrorCode == "NoSuchBucket")
        {
            throw new DvcException($"remote {Description}: the bucket '{_bucket}' does not exist", ex);
        }
        catch (AmazonServiceException ex)
            when (ex.InnerException is HttpRequestException or System.Net.Sockets.SocketException)
        {
            throw new DvcException($"remote {Description} is unreachable: {ex.InnerException.Message}", ex);
        }
        catch (HttpRequestException ex)
        {
            throw new DvcException($"remote {Description} is unreachable: {ex.Message}", ex);
        }
    }
}
