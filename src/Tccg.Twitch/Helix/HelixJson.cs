using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Tccg.Twitch.Helix;

/// <summary>Reading Helix bodies: <c>{"data":[...],"pagination":{"cursor":"..."}}</c>, tolerant of the real API's quirks.</summary>
internal static class HelixJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        NumberHandling = JsonNumberHandling.AllowReadingFromString,
    };

    private sealed class Envelope<T>
    {
        [JsonPropertyName("data")] public List<T>? Data { get; set; }
        [JsonPropertyName("pagination")] public JsonElement Pagination { get; set; }
    }

    /// <summary>Parses a Helix list body; throws <see cref="TwitchApiException"/> naming <paramref name="what"/> when it is malformed.</summary>
    public static HelixPage<T> ParsePage<T>(string body, string what)
    {
        Envelope<T>? envelope;
        try
        {
            envelope = JsonSerializer.Deserialize<Envelope<T>>(body, Options);
        }
        catch (JsonException e)
        {
            throw Malformed(what, body, e.Message, e);
        }
        if (envelope?.Data is null)
            throw Malformed(what, body, "no \"data\" array", null);
        if (envelope.Data.Any(item => item is null))
            throw Malformed(what, body, "null entry in \"data\"", null);
        return new HelixPage<T>(envelope.Data, CursorOf(envelope.Pagination));
    }

    /// <summary><c>pagination</c> may be absent, <c>{}</c>, or carry an empty cursor: all mean "last page".</summary>
    private static string? CursorOf(JsonElement pagination) =>
        pagination.ValueKind == JsonValueKind.Object
        && pagination.TryGetProperty("cursor", out var cursor)
        && cursor.ValueKind == JsonValueKind.String
        && cursor.GetString() is { Length: > 0 } value
            ? value
            : null;

    /// <summary>The <c>message</c> of a Helix error body, or a snippet of whatever came back.</summary>
    public static string ErrorMessage(string body)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            if (doc.RootElement.ValueKind == JsonValueKind.Object
                && doc.RootElement.TryGetProperty("message", out var message)
                && message.ValueKind == JsonValueKind.String)
                return message.GetString()!;
        }
        catch (JsonException)
        {
        }
        return Snippet(body);
    }

    public static TwitchApiException Malformed(string what, string body, string reason, Exception? inner) =>
        new($"Twitch sent a malformed response for {what} ({reason}): {Snippet(body)}", HttpStatusCode.OK, inner);

    public static string Snippet(string body)
    {
        var flat = body.ReplaceLineEndings(" ").Trim();
        return flat.Length <= 200 ? flat : string.Concat(flat.AsSpan(0, 200), "…");
    }
}

/// <summary><c>""</c> reads as null.</summary>
internal sealed class EmptyStringAsNullConverter : JsonConverter<string?>
{
    public override bool HandleNull => true;

    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType switch
        {
            JsonTokenType.Null => null,
            JsonTokenType.String => reader.GetString() is { Length: > 0 } s ? s : null,
            JsonTokenType.Number => reader.GetInt64().ToString(CultureInfo.InvariantCulture),
            _ => throw new JsonException($"expected a string, got {reader.TokenType}"),
        };

    public override void Write(Utf8JsonWriter writer, string? value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value ?? "");
}

/// <summary>A number sent as float, integer or numeric string.</summary>
internal sealed class FlexibleDoubleConverter : JsonConverter<double>
{
    public override double Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType switch
        {
            JsonTokenType.Number => reader.GetDouble(),
            JsonTokenType.String when double.TryParse(reader.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => d,
            JsonTokenType.Null => 0,
            _ => throw new JsonException($"expected a number, got {reader.TokenType}"),
        };

    public override void Write(Utf8JsonWriter writer, double value, JsonSerializerOptions options) =>
        writer.WriteNumberValue(value);
}

/// <summary>An integer that may be null, a float (truncated) or a numeric string.</summary>
internal sealed class FlexibleNullableIntConverter : JsonConverter<int?>
{
    public override bool HandleNull => true;

    public override int? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType switch
        {
            JsonTokenType.Null => null,
            JsonTokenType.Number => reader.TryGetInt32(out var i) ? i : (int)reader.GetDouble(),
            JsonTokenType.String => string.IsNullOrEmpty(reader.GetString()) ? null
                : double.TryParse(reader.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? (int)d
                : throw new JsonException("expected a number"),
            _ => throw new JsonException($"expected a number, got {reader.TokenType}"),
        };

    public override void Write(Utf8JsonWriter writer, int? value, JsonSerializerOptions options)
    {
        if (value is { } v)
            writer.WriteNumberValue(v);
        else
            writer.WriteNullValue();
    }
}
