using Microsoft.Extensions.DependencyInjection;

namespace Cake.Frosting;

/// <summary>Configures the host's services in one place.</summary>
public interface IFrostingStartup
{
    void Configure(IServiceCollection services);
}
