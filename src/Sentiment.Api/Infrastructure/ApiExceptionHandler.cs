using System.Data.Common;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.Net.Http.Headers;

namespace Sentiment.Api.Infrastructure;

/// <summary>
/// What an exception that reached the pipeline means to the client: the database being unreachable is a 503 with
/// <c>Retry-After</c> (predictions do not need it and keep working; the next request tries again, so recovery needs no
/// restart), a body Kestrel refused keeps Kestrel's status (408, 400, 413), and anything else is a 500 with no detail.
/// Every answer is a problem body.
/// </summary>
public sealed class ApiExceptionHandler(IProblemDetailsService problems, ILogger<ApiExceptionHandler> log)
    : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(
        HttpContext httpContext,
        Exception exception,
        CancellationToken cancellationToken
    )
    {
        var (status, title, detail) = exception switch
        {
            BadHttpRequestException bad => (bad.StatusCode, "The request could not be read", bad.Message),
            DbException or TimeoutException when IsDataProblem(exception) => (
                StatusCodes.Status400BadRequest,
                "The text cannot be stored",
                "The database refused a value of this request as text."
            ),
            DbException or TimeoutException => (
                StatusCodes.Status503ServiceUnavailable,
                "Database unavailable",
                $"The reviews database cannot be reached; try again in {Problems.RetryAfterSeconds} s. Predictions still work."
            ),
            _ => (StatusCodes.Status500InternalServerError, "Unexpected error", "The error is in the service's log."),
        };
        if (status == StatusCodes.Status503ServiceUnavailable)
        {
            httpContext.Response.Headers[HeaderNames.RetryAfter] = Problems.RetryAfterSeconds.ToString(
                System.Globalization.CultureInfo.InvariantCulture
            );
            log.LogWarning("{EventType}: {Message}", "database-unavailable", exception.Message);
        }

        httpContext.Response.StatusCode = status;
        return await problems.TryWriteAsync(
            new ProblemDetailsContext
            {
                HttpContext = httpContext,
                Exception = exception,
                ProblemDetails =
                {
                    Status = status,
                    Title = title,
                    Detail = detail,
                },
            }
        );
    }

    /// <summary>A PostgreSQL data exception (SQLSTATE class 22: a value the column cannot hold), not an outage.</summary>
    private static bool IsDataProblem(Exception exception) =>
        exception is DbException { SqlState: { } state } && state.StartsWith("22", StringComparison.Ordinal);
}
