using System.Text;
using System.Text.Json;

namespace Pipeline.Tracking.Search;

/// <summary>MLflow's page token: base64 of <c>{"offset": N}</c>, as Python's json.dumps writes it.</summary>
internal static class PageToken
{
    public static string Encode(int offset) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes($"{{\"offset\": {offset}}}"));

    public static int Decode(string? token)
    {
        if (string.IsNullOrEmpty(token))
        {
            return 0;
        }

        try
        {
            using var json = JsonDocument.Parse(Convert.FromBase64String(token));
            return json.RootElement.GetProperty("offset").GetInt32();
        }
        catch (Exception ex)
            when (ex is FormatException or JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new TrackingException("INVALID_PARAMETER_VALUE", 400, "Invalid page token, could not base64-decode");
        }
    }
}
