namespace Pipeline.DataVersioning;

/// <summary>A data-versioning failure whose message names the file, object or remote at fault.</summary>
public sealed class DvcException(string message, Exception? inner = null) : Exception(message, inner);
