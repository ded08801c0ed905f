using Sentiment.Api.Infrastructure;

if (args is ["healthcheck", ..])
{
    return await HealthProbe.RunAsync();
}

var builder = WebApplication.CreateBuilder(args);
builder.AddSentimentServices();

var app = builder.Build();
await app.UseSentimentPipelineAsync();
await app.RunAsync();
return 0;

/// <summary>The entry point, visible to WebApplicationFactory in the functional tests.</summary>
public partial class Program;
