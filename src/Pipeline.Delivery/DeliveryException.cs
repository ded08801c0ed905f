namespace Pipeline.Delivery;

/// <summary>A delivery step that cannot go on: the message names the file, argument or object at fault.</summary>
public sealed class DeliveryException(string message) : Exception(message);
