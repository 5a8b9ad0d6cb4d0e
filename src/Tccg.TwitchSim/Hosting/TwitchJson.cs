using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http;

namespace Tccg.TwitchSim.Hosting;

/// <summary>JSON as Twitch writes it: snake_case for Helix, raw UTF-8 for non-Latin text.</summary>
internal static class TwitchJson
{
    public static readonly JsonSerializerOptions Helix = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static readonly JsonSerializerOptions Gql = new()
    {
        PropertyNamingPolicy = null,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Twitch's Helix/auth error body: <c>{"error":"Unauthorized","status":401,"message":"Invalid OAuth token"}</c>.</summary>
    public static IResult Error(int status, string message) =>
        Results.Json(new HelixError(ReasonPhrases(status), status, message), Helix, statusCode: status);

    public static Task WriteErrorAsync(HttpContext context, int status, string message)
    {
        context.Response.StatusCode = status;
        return context.Response.WriteAsJsonAsync(new HelixError(ReasonPhrases(status), status, message), Helix, context.RequestAborted);
    }

    public static string Rfc3339(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);

    private static string ReasonPhrases(int status) => status switch
    {
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        _ => Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status),
    };

    internal sealed record HelixError(string Error, int Status, string Message);
}
