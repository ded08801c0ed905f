namespace Sentiment.Api.Apis;

/// <summary>
/// The OpenAPI document (<c>/openapi/v1.json</c>) and an interactive reference at <c>/docs</c>: Scalar's browser
/// bundle (shipped inside the Scalar.AspNetCore package, so nothing loads from another host) started by a script of
/// our own, because the package's page starts it with an inline script the content security policy forbids. Only
/// mapped when <see cref="ApiOptions.ApiDocs"/> is on.
/// </summary>
public static class DocsApi
{
    private const string Page = """
        <!doctype html>
        <html lang="en">
        <head>
          <meta charset="utf-8">
          <meta name="viewport" content="width=device-width, initial-scale=1">
          <title>Sentiment API reference</title>
        </head>
        <body>
          <div id="app"></div>
          <script src="/docs/scalar.js"></script>
          <script src="/docs/start.js"></script>
        </body>
        </html>
        """;

    // Fonts off: Scalar fetches them from its own host otherwise.
    private const string Start = """
        "use strict";
        window.Scalar.createApiReference("#app", {
          url: "/openapi/v1.json",
          withDefaultFonts: false,
          hideClientButton: false,
          defaultOpenAllTags: true,
        });
        """;

    private static readonly Lazy<byte[]> Bundle = new(() =>
    {
        using var stream =
            typeof(Scalar.AspNetCore.ScalarOptions).Assembly.GetManifestResourceStream("ScalarStaticAssets.scalar.js")
            ?? throw new InvalidOperationException("Scalar.AspNetCore no longer ships ScalarStaticAssets.scalar.js");
        // The package keeps it gzipped; served plain, so any client can read it.
        using var plain = new System.IO.Compression.GZipStream(
            stream,
            System.IO.Compression.CompressionMode.Decompress
        );
        using var copy = new MemoryStream();
        plain.CopyTo(copy);
        return copy.ToArray();
    });

    public static IEndpointRouteBuilder MapApiDocs(this IEndpointRouteBuilder app)
    {
        app.MapOpenApi().ExcludeFromDescription();
        var docs = app.MapGroup("/docs").ExcludeFromDescription();
        docs.MapGet("/", () => TypedResults.Text(Page, "text/html; charset=utf-8"));
        docs.MapGet("/scalar.js", () => TypedResults.Bytes(Bundle.Value, "text/javascript; charset=utf-8"));
        docs.MapGet("/start.js", () => TypedResults.Text(Start, "text/javascript; charset=utf-8"));
        return app;
    }
}
