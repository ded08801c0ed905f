using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Sentiment.Api.Apis;

/// <summary>
/// A valid example body for every operation that takes one, so the reference at <c>/docs</c> can send each request
/// as it stands, and a description of the problem body every error carries.
/// </summary>
public static partial class OpenApiExamples
{
    private static readonly Dictionary<string, string> Bodies = new(StringComparer.Ordinal)
    {
        ["POST api/predict"] = """{ "text": "A beautiful, gripping film with wonderful performances. I loved it." }""",
        ["POST api/predict/batch"] = """{ "texts": ["I loved it.", "Two hours I will never get back."] }""",
        ["POST api/movies/{id}/reviews"] = """{ "text": "The chemistry between the two leads is electric." }""",
        ["POST api/reviews/{id}/feedback"] = """{ "sentiment": "positive" }""",
    };

    /// <summary>
    /// The document's title and purpose, and no server list: a client uses the address it fetched the document from,
    /// so the same document (the one checked into the repository) is right behind any host or proxy.
    /// </summary>
    public static Task Describe(
        OpenApiDocument document,
        OpenApiDocumentTransformerContext context,
        CancellationToken cancellationToken
    )
    {
        document.Servers = [];
        document.Info.Title = "Sentiment API";
        document.Info.Description =
            "Predicts the sentiment of movie reviews and keeps reviews with a freshness score per movie. Every error "
            + "is an RFC 9457 problem body.";
        return Task.CompletedTask;
    }

    public static Task Apply(
        OpenApiOperation operation,
        OpenApiOperationTransformerContext context,
        CancellationToken cancellationToken
    )
    {
        // "api/movies/{id:long}/reviews" and "api/predict/" as the table writes them: no constraints, no final slash.
        var path = Constraint().Replace(context.Description.RelativePath ?? string.Empty, "{$1}").TrimEnd('/');
        var key = $"{context.Description.HttpMethod} {path}";
        if (
            Bodies.TryGetValue(key, out var body)
            && operation.RequestBody?.Content?.TryGetValue("application/json", out var json) == true
        )
        {
            json.Example = JsonNode.Parse(body);
        }

        foreach (var (status, response) in operation.Responses ?? [])
        {
            if (status.StartsWith('4') || status.StartsWith('5'))
            {
                response.Description = Describe(status);
            }
        }

        return Task.CompletedTask;
    }

    private static string Describe(string status) =>
        status switch
        {
            "400" => "A field is missing or invalid; 'field' names it.",
            "401" => "A credential is needed (the review's author token, or a moderator key).",
            "403" => "The credential is not valid for this review.",
            "404" => "No such movie or review.",
            "409" => "Already done: a correction is given once.",
            "413" => "The body, a text or a batch is over its limit.",
            "415" => "The body is not sent as application/json.",
            "429" => "Too many writes from this client; Retry-After says when to try again.",
            "503" => "No model is loaded yet, or the database cannot be reached; Retry-After says when to try again.",
            _ => "An error, described by the problem body.",
        };

    [System.Text.RegularExpressions.GeneratedRegex(@"\{(\w+):[^}]+\}")]
    private static partial System.Text.RegularExpressions.Regex Constraint();
}
