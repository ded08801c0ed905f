using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.Net.Http.Headers;

namespace Sentiment.Api.Infrastructure;

/// <summary>
/// How often one client may write (post a review, give feedback): a fixed window per client address (behind a
/// trusted proxy, the forwarded one). Over it: 429 with <c>Retry-After</c> and a problem body. Predictions are not
/// limited here: they store nothing.
/// </summary>
public static class RateLimits
{
    public const string Writes = "writes";

    public static IServiceCollection AddWriteRateLimit(this IServiceCollection services, ApiOptions options) =>
        services.AddRateLimiter(limiter =>
        {
            limiter.AddPolicy(
                Writes,
                http =>
                    RateLimitPartition.GetFixedWindowLimiter(
                        http.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                        _ => new FixedWindowRateLimiterOptions
                        {
                            PermitLimit = Math.Max(1, options.WritesPerMinute),
                            Window = TimeSpan.FromMinutes(1),
                            QueueLimit = 0,
                        }
                    )
            );
            limiter.OnRejected = async (context, cancellation) =>
            {
                var retry = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var after)
                    ? (int)Math.Ceiling(after.TotalSeconds)
                    : 60;
                context.HttpContext.Response.Headers[HeaderNames.RetryAfter] = retry.ToString(
                    CultureInfo.InvariantCulture
                );
                await Problems
                    .Problem(
                        StatusCodes.Status429TooManyRequests,
                        "Too many requests",
                        $"This client may post {options.WritesPerMinute} reviews or feedback a minute; try again in {retry} s."
                    )
                    .ExecuteAsync(context.HttpContext);
            };
        });
}
