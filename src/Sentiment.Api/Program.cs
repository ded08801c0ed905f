using Sentiment.Api.Infrastructure;

var builder = WebApplication.CreateBuilder(args);
builder.AddSentimentServices();

var app = builder.Build();
await app.UseSentimentPipelineAsync();
await app.RunAsync();

/// <summary>The entry point, visible to WebApplicationFactory in the functional tests.</summary>
public partial class Program;
