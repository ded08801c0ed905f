namespace Sentiment.Api.Infrastructure;

/// <summary>
/// The event type an endpoint's request log line carries (prediction, review…), declared as endpoint metadata
/// and read once when the line is written, so no per-request step has to set it.
/// </summary>
public sealed record EventType(string Name)
{
    public const string Default = "request";

    public static string Of(HttpContext http) => http.GetEndpoint()?.Metadata.GetMetadata<EventType>()?.Name ?? Default;
}

public static class EventTypeExtensions
{
    public static TBuilder WithEventType<TBuilder>(this TBuilder builder, string name)
        where TBuilder : IEndpointConventionBuilder => builder.WithMetadata(new EventType(name));
}
