namespace Cake.Frosting;

/// <summary>A misconfigured host or task graph: the message says which option or task is wrong.</summary>
public sealed class FrostingException(string message) : Exception(message);
