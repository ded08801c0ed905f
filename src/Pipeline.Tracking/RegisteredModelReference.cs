namespace Pipeline.Tracking;

/// <summary>
/// A registered model as people write it: <c>name</c>, <c>name/version</c> or <c>name@alias</c> (the form of MLflow's
/// <c>models:/name/version</c> and <c>models:/name@alias</c> URIs, without the scheme).
/// </summary>
public sealed record RegisteredModelReference(string Name, string? Version = null, string? Alias = null)
{
    /// <summary>Null for an empty text; an error naming the text for one that is not a reference.</summary>
    public static RegisteredModelReference? Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        text = text.Trim();
        if (text.StartsWith("models:/", StringComparison.Ordinal))
        {
            text = text["models:/".Length..];
        }

        var at = text.IndexOf('@', StringComparison.Ordinal);
        var slash = text.LastIndexOf('/');
        var reference =
            at >= 0 ? new RegisteredModelReference(text[..at], Alias: text[(at + 1)..])
            : slash >= 0 ? new RegisteredModelReference(text[..slash], Version: text[(slash + 1)..])
            : new RegisteredModelReference(text);
        if (
            reference.Name.Length == 0
            || reference.Alias is ""
            || reference.Version is ""
            || (reference.Version is { } version && !version.All(char.IsAsciiDigit))
        )
        {
            throw new TrackingException(
                "INVALID_PARAMETER_VALUE",
                400,
                $"--model: '{text}' is not NAME, NAME/VERSION or NAME@ALIAS."
            );
        }

        return reference;
    }

    public override string ToString() =>
        Version is not null ? $"{Name}/{Version}"
        : Alias is not null ? $"{Name}@{Alias}"
        : Name;
}
