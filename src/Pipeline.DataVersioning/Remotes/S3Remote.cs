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

    /// <summary>
    /// Uploads all or nothing. A plain PUT that dies mid-body can leave a truncated object under its final key on
    /// S3-compatible servers; a multipart upload only gets its key when it is completed, after every part arrived.
    /// An empty object cannot be truncated, so it is one PUT.
    /// </summary>
    public async Task UploadAsync(string relativePath, string sourceFile, CancellationToken cancellationToken)
    {
        var key = Key(relativePath);
        var size = new FileInfo(sourceFile).Length;
        if (size == 0)
        {
            await Call(() =>
                _client.PutObjectAsync(
                    new PutObjectRequest
                    {
                        BucketName = _bucket,
                        Key = key,
                        FilePath = sourceFile,
                        UseChunkEncoding = false,
                    },
                    cancellationToken
                )
            );
            return;
        }

        var upload = await Call(() =>
            _client.InitiateMultipartUploadAsync(
                new InitiateMultipartUploadRequest { BucketName = _bucket, Key = key },
                cancellationToken
            )
        );
        try
        {
            // S3 allows at most 10,000 parts, each but the last at least 5 MiB.
            var partSize = Math.Max(MinimumPartSize, (size + MaximumParts - 1) / MaximumParts);
            var parts = new List<PartETag>();
            for (var (offset, number) = (0L, 1); offset < size; offset += partSize, number++)
            {
                var part = await Call(() =>
                    _client.UploadPartAsync(
                        new UploadPartRequest
                        {
                            BucketName = _bucket,
                            Key = key,
                            UploadId = upload.UploadId,
                            PartNumber = number,
                            FilePath = sourceFile,
                            FilePosition = offset,
                            PartSize = Math.Min(partSize, size - offset),
                            UseChunkEncoding = false,
                        },
                        cancellationToken
                    )
                );
                parts.Add(new PartETag(number, part.ETag));
            }

            await Call(() =>
                _client.CompleteMultipartUploadAsync(
                    new CompleteMultipartUploadRequest
                    {
                        BucketName = _bucket,
                        Key = key,
                        UploadId = upload.UploadId,
                        PartETags = parts,
                    },
                    cancellationToken
                )
            );
        }
        catch
        {
            await AbortQuietly(key, upload.UploadId);
            throw;
        }
    }

    private const long MinimumPartSize = 8 * 1024 * 1024;
    private const long MaximumParts = 10_000;

    /// <summary>Frees the parts of a failed upload; if the server is gone too, its lifecycle rules must.</summary>
    private async Task AbortQuietly(string key, string uploadId)
    {
        try
        {
            await _client.AbortMultipartUploadAsync(_bucket, key, uploadId, CancellationToken.None);
        }
        catch (Exception ex) when (ex is AmazonServiceException or HttpRequestException or IOException)
        {
            // the upload failed because the connection did; the abort may fail for the same reason
        }
    }

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
