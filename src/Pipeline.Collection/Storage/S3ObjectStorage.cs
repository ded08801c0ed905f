using System.Net;
using Amazon.S3;
using Amazon.S3.Model;
using Pipeline.DataVersioning.Remotes;

namespace Pipeline.Collection.Storage;

/// <summary>An S3 or S3-compatible bucket (<c>s3://bucket/prefix</c>); credentials from the standard AWS environment variables.</summary>
public sealed class S3ObjectStorage : IObjectStorage, IDisposable
{
    private readonly AmazonS3Client _client;
    private readonly string _bucket;
    private readonly string _prefix;

    public S3ObjectStorage(string url, string? endpoint, Func<string, string?> environment)
    {
        Location = url;
        var options = endpoint is null ? null : new Dictionary<string, string> { ["endpointurl"] = endpoint };
        var target = S3Clients.Create(url, options, environment, "dataset store");
        (_client, _bucket) = (target.Client, target.Bucket);
        _prefix = target.Prefix.Length > 0 ? target.Prefix + "/" : string.Empty;
    }

    public string Location { get; }

    public async Task<byte[]?> ReadAsync(string key, CancellationToken cancellationToken = default)
    {
        try
        {
            using var response = await _client.GetObjectAsync(_bucket, _prefix + key, cancellationToken);
            using var buffer = new MemoryStream();
            await response.ResponseStream.CopyToAsync(buffer, cancellationToken);
            return buffer.ToArray();
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public async Task WriteAsync(string key, byte[] content, CancellationToken cancellationToken = default)
    {
        using var body = new MemoryStream(content);
        await _client.PutObjectAsync(
            new PutObjectRequest
            {
                BucketName = _bucket,
                Key = _prefix + key,
                InputStream = body,
                UseChunkEncoding = false,
            },
            cancellationToken
        );
    }

    public async Task<IReadOnlyList<string>> ListAsync(string prefix, CancellationToken cancellationToken = default)
    {
        var keys = new List<string>();
        string? token = null;
        do
        {
            var page = await _client.ListObjectsV2Async(
                new ListObjectsV2Request
                {
                    BucketName = _bucket,
                    Prefix = _prefix + prefix,
                    ContinuationToken = token,
                },
                cancellationToken
            );
            keys.AddRange((page.S3Objects ?? []).Select(o => o.Key[_prefix.Length..]));
            token = page.IsTruncated == true ? page.NextContinuationToken : null;
        } while (token is not null);
        return [.. keys.Order(StringComparer.Ordinal)];
    }

    public void Dispose() => _client.Dispose();
}
