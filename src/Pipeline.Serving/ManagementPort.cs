namespace Pipeline.Serving;

/// <summary>
/// <c>/metrics</c> answers on the management port only, and only <c>/metrics</c> does: the port is decided by the
/// connection (the socket the request came in on), never by a Host header a client can write. With
/// port 0 metrics answer on every port (a laptop).
/// </summary>
public static class ManagementPort
{
    public const string MetricsPath = "/metrics";

    public static IApplicationBuilder UseManagementPort(this IApplicationBuilder app, int port) =>
        port == 0
            ? app
            : app.Use(
                (http, next) =>
                {
                    var management = http.Connection.LocalPort == port;
                    if (management != http.Request.Path.StartsWithSegments(MetricsPath))
                    {
                        http.Response.StatusCode = StatusCodes.Status404NotFound;
                        return Task.CompletedTask;
                    }

                    return next(http);
                }
            );
}
