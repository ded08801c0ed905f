using Playlist.Api;
using Playlist.Api.Apis;
using Prometheus;

if (args is ["healthcheck", ..])
{
    return await HealthProbe.RunAsync();
}

var builder = WebApplication.CreateBuilder(args);
builder.Services.Configure<PlaylistOptions>(builder.Configuration.GetSection(PlaylistOptions.Section));
var options = builder.Configuration.GetSection(PlaylistOptions.Section).Get<PlaylistOptions>() ?? new PlaylistOptions();
builder.Services.AddSingleton(_ => LoadedModel.Load(options.ModelPath, options.SeedModelPath));
builder.Services.AddOpenApi();
builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = 64 * 1024);

var app = builder.Build();
var model = app.Services.GetRequiredService<LoadedModel>(); // a bad model folder stops the start, naming the file
app.Logger.LogInformation("Serving playlist model run {RunId} ({Rules} rules)", model.RunId, model.Rules.Rules.Count);
app.UseSecurityHeaders();
app.UseBoundedMethods();
app.UseManagementPort(options.ManagementPort);
app.UseHttpMetrics();
app.UseDefaultFiles();
app.UseStaticFiles();
app.MapRecommendationsApi();
app.MapHealthApi();
app.MapOpenApi();
app.MapMetrics(ManagementPort.MetricsPath);
await app.RunAsync();
return 0;

/// <summary>The entry point, visible to WebApplicationFactory in the functional tests.</summary>
public partial class Program;
