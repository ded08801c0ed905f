using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Pipeline.Testing;

namespace Pipeline.Tracking.Tests;

/// <summary>
/// Replays the exchanges recorded from a real MLflow 2.12 server, in order, on a loopback port. Each incoming
/// request is compared with the recorded one (method, path, query, content type and JSON fields); any difference
/// is kept in <see cref="Mismatches"/> and answered with 599 so the test fails loudly.
/// </summary>
public sealed class TranscriptServer : IAsyncDisposable
{
    private static readonly Lazy<Dictionary<int, JsonObject>> Records = new(() =>
        File.ReadLines(Fixtures.Path("mlflow", "rest", "transcript.jsonl"))
            .Select(l => JsonNode.Parse(l)!.AsObject())
            .ToDictionary(r => r["seq"]!.GetValue<int>())
    );

    private readonly Queue<(int Seq, bool CheckContentType)> _expected = new();
    private WebApplication _app = null!;

    public List<string> Mismatches { get; } = [];

    public string Url { get; private set; } = string.Empty;

    public static JsonObject Record(int seq) => Records.Value[seq];

    public static async Task<TranscriptServer> StartAsync()
    {
        var server = new TranscriptServer();
        (server._app, server.Url) = await LoopbackWebApp.StartAsync(app => app.Run(server.HandleAsync));
        return server;
    }

    /// <summary>The next requests must match these records, in this order.</summary>
    public TranscriptServer Expect(params int[] seqs)
    {
        foreach (var seq in seqs)
        {
            _expected.Enqueue((seq, true));
        }

        return this;
    }

    /// <summary>Answer with this record without checking the request's content type (the recorder sent a deliberately wrong one).</summary>
    public TranscriptServer ExpectAnyContentType(int seq)
    {
        _expected.Enqueue((seq, false));
        return this;
    }

    public bool AllServed => _expected.Count == 0;

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer);
        var raw = buffer.ToArray();
        var body = Encoding.UTF8.GetString(raw);
        if (!_expected.TryDequeue(out var next))
        {
            Fail(
                context,
                $"unexpected request {context.Request.Method} {context.Request.Path}{context.Request.QueryString}"
            );
            return;
        }

        var record = Record(next.Seq);
        var problems = Compare(record, context.Request, body, raw, next.CheckContentType);
        if (problems.Count > 0)
        {
            lock (Mismatches)
            {
                Mismatches.AddRange(problems.Select(p => $"seq {next.Seq}: {p}"));
            }

            context.Response.StatusCode = 599;
            return;
        }

        context.Response.StatusCode = record["status"]!.GetValue<int>();
        context.Response.ContentType = record["response_content_type"]!.GetValue<string>();
        if (record["response_headers"] is JsonObject headers)
        {
            foreach (var (name, value) in headers)
            {
                context.Response.Headers[name] = value!.GetValue<string>();
            }
        }

        var bytes = record["response_body_base64"] is { } b64
            ? Convert.FromBase64String(b64.GetValue<string>())
            : Encoding.UTF8.GetBytes(record["response_body"]!.GetValue<string>());
        await context.Response.Body.WriteAsync(bytes);
    }

    private static List<string> Compare(
        JsonObject record,
        HttpRequest request,
        string body,
        byte[] raw,
        bool checkContentType
    )
    {
        var problems = new List<string>();
        if (record["method"]!.GetValue<string>() != request.Method)
        {
            problems.Add($"method {request.Method}, recorded {record["method"]}");
        }

        if (record["path"]!.GetValue<string>() != request.Path.Value)
        {
            problems.Add($"path {request.Path}, recorded {record["path"]}");
        }

        var recordedQuery = record["query_params"] as JsonObject;
        var query = request.Query.ToDictionary(q => q.Key, q => string.Join(',', q.Value.ToArray()));
        var expectedQuery =
            recordedQuery?.ToDictionary(
                q => q.Key,
                q => string.Join(',', q.Value!.AsArray().Select(v => v!.GetValue<string>()))
            )
            ?? [];
        if (!query.OrderBy(q => q.Key).SequenceEqual(expectedQuery.OrderBy(q => q.Key)))
        {
            problems.Add($"query {request.QueryString}, recorded ?{record["query"]}");
        }

        var recordedType = record["request_headers"]!["Content-Type"]?.GetValue<string>();
        var actualType = request.ContentType?.Split(';')[0].Trim();
        if (checkContentType && recordedType != actualType)
        {
            problems.Add($"content type '{actualType}', recorded '{recordedType}'");
        }

        if (record["request_json"] is JsonNode expectedJson)
        {
            JsonNode? actual = null;
            try
            {
                actual = JsonNode.Parse(body);
            }
            catch (System.Text.Json.JsonException) { }

            if (
                request.Path.Value!.EndsWith("/runs/create", StringComparison.Ordinal)
                && actual is JsonObject sent
                && expectedJson["user_id"] is null
                && sent["user_id"] is { } user
            )
            {
                // The recording client sent no user_id, so the server kept the run's user empty (issue 20). We send the
                // mlflow.user tag's value, as the Python client does; the rest must still match the recording.
                var tagged = sent["tags"]
                    ?.AsArray()
                    .FirstOrDefault(t => t!["key"]!.GetValue<string>() == "mlflow.user");
                if (user.GetValue<string>() != (tagged?["value"]?.GetValue<string>() ?? string.Empty))
                {
                    problems.Add($"user_id {user} is not the mlflow.user tag");
                }

                sent.Remove("user_id");
            }

            if (!JsonNode.DeepEquals(actual, expectedJson))
            {
                problems.Add($"body {body}, recorded {expectedJson.ToJsonString()}");
            }
        }
        else if (record["request_body_base64"] is { } b64 && Convert.ToBase64String(raw) != b64.GetValue<string>())
        {
            problems.Add($"binary body of {raw.Length} bytes differs from the recorded one");
        }
        else if (
            record["request_body"] is { } text
            && record["request_json"] is null
            && text.GetValue<string>() != body
        )
        {
            problems.Add("body differs from the recorded one");
        }

        return problems;
    }

    private void Fail(HttpContext context, string problem)
    {
        lock (Mismatches)
        {
            Mismatches.Add(problem);
        }

        context.Response.StatusCode = 599;
    }
}
