using Amazon.Runtime;
using Amazon.S3;

namespace Pipeline.DataVersioning.Remotes;

/// <summary>
/// An S3 client for <c>s3://bucket/prefix</c> on AWS or an S3-compatible server: credentials from explicit options,
/// else the standard AWS environment variables; an endpoint switches to path-style addressing.
/// </summary>
public static class S3Clients
{
    public sealed record S3Target(AmazonS3Client Client, string Bucket, string Prefix);

    /// <param name="options">Explicit settings (DVC remote keys: access_key_id, secret_access_key, session_token, region, endpointurl).</param>
    /// <param name="owner">Names the remote or store in error messages.</param>
    public static S3Target Create(
        string url,
        IReadOnlyDictionary<string, string>? options,
        Func<string, string?> environment,
        string owner
    )
    {
        var uri = new Uri(url);
        string? Option(string key) =>
            options is not null && options.TryGetValue(key, out var value) && value.Length > 0 ? value : null;
        string? Env(string key) => environment(key) is { Length: > 0 } value ? value : null;

        var accessKey = Option("access_key_id") ?? Env("AWS_ACCESS_KEY_ID");
        var secretKey = Option("secret_access_key") ?? Env("AWS_SECRET_ACCESS_KEY");
        if (accessKey is null || secretKey is null)
        {
            throw new DvcException(
                $"{owner} ({url}): no S3 credentials. Set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, "
                    + "or access_key_id and secret_access_key under the remote in .dvc/config.local."
            );
        }

        var sessionToken = Option("session_token") ?? Env("AWS_SESSION_TOKEN");
        AWSCredentials credentials = sessionToken is null
            ? new BasicAWSCredentials(accessKey, secretKey)
            : new SessionAWSCredentials(accessKey, secretKey, sessionToken);
        var region = Option("region") ?? Env("AWS_REGION") ?? Env("AWS_DEFAULT_REGION") ?? "us-east-1";
        var config = new AmazonS3Config
        {
            AuthenticationRegion = region,
            // S3-compatible servers do not all accept the SDK's trailing checksums; content hashes are ours to check.
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
            MaxErrorRetry = 2,
        };
        if ((Option("endpointurl") ?? Env("AWS_ENDPOINT_URL_S3") ?? Env("AWS_ENDPOINT_URL")) is { } endpoint)
        {
            config.ServiceURL = endpoint;
            config.ForcePathStyle = true;
            config.UseHttp = endpoint.StartsWith("http://", StringComparison.OrdinalIgnoreCase);
        }
        else
        {
            config.RegionEndpoint = Amazon.RegionEndpoint.GetBySystemName(region);
        }

        return new S3Target(new AmazonS3Client(credentials, config), uri.Host, uri.AbsolutePath.Trim('/'));
    }
}
