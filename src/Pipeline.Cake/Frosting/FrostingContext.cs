using Cake.Core;

namespace Cake.Frosting;

/// <summary>Marker for the context a Frosting build runs with.</summary>
public interface IFrostingContext : ICakeContext { }

/// <summary>The default context; derive from it for a typed build context created by DI.</summary>
public class FrostingContext(ICakeContext context) : CakeContextAdapter(context), IFrostingContext { }
