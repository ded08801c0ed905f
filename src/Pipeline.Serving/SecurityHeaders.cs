namespace Pipeline.Serving;

/// <summary>
/// Headers every response carries. The page and its script come from this origin only and no inline script runs
/// anywhere; nothing may frame a page of the service (clickjacking); browsers must not guess content types; no
/// referrer leaves. The API reference (<c>/docs</c>) also needs the styles its script injects, so it alone allows
/// inline styles (never inline script).
/// </summary>
public static class SecurityHeaders
{
    public const string PagePolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
        + "connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    public const string DocsPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
        + "font-src 'self' data:; connect-src 'self'; worker-src 'self' blob:; base-uri 'none'; form-action 'self'; "
        + "frame-ancestors 'none'";

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) =>
        app.Use(
            (http, next) =>
            {
                http.Response.OnStarting(() =>
                {
                    var headers = http.Response.Headers;
                    headers.ContentSecurityPolicy = http.Request.Path.StartsWithSegments("/docs")
                        ? DocsPolicy
                        : PagePolicy;
                    headers.XContentTypeOptions = "nosniff";
                    headers.XFrameOptions = "DENY";
                    headers["Referrer-Policy"] = "no-referrer";
                    headers["Cross-Origin-Opener-Policy"] = "same-origin";
                    return Task.CompletedTask;
                });
                return next(http);
            }
        );
}
