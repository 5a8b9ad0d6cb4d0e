using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Tccg.Core.Configuration;

namespace Tccg.Twitch.Helix;

/// <summary>
/// Client-credentials app token (docs/twitch.md): fetched once, reused until it nears expiry,
/// replaced when Helix answers 401. App tokens cannot be refreshed, only fetched anew.
/// </summary>
public sealed class TwitchTokenProvider(
    HttpClient http, IOptions<TwitchOptions> options, TimeProvider time, ILogger<TwitchTokenProvider> logger) : IDisposable
{
    private static readonly TimeSpan ExpiryMargin = TimeSpan.FromMinutes(5);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private AppToken? _token;

    /// <summary>How many tokens were fetched (for tests and diagnostics).</summary>
    public int TokensFetched { get; private set; }

    /// <summary>The current token, fetching one when there is none or it is about to expire.</summary>
    public async ValueTask<string> GetTokenAsync(CancellationToken ct)
    {
        var token = _token;
        if (token is not null && token.ExpiresAt > time.GetUtcNow())
            return token.Value;
        await _gate.WaitAsync(ct);
        try
        {
            token = _token;
            if (token is not null && token.ExpiresAt > time.GetUtcNow())
                return token.Value;
            _token = await FetchAsync(ct);
            return _token.Value;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Helix rejected <paramref name="rejected"/>: drop it (unless another caller already has) and fetch a new one.</summary>
    public async ValueTask<string> RenewAsync(string rejected, CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            if (_token is not null && _token.Value != rejected && _token.ExpiresAt > time.GetUtcNow())
                return _token.Value;
            logger.LogInformation("Helix rejected the app token; fetching a new one");
            _token = await FetchAsync(ct);
            return _token.Value;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<AppToken> FetchAsync(CancellationToken ct)
    {
        var o = options.Value;
        o.RequireCredentials();
        var url = $"{o.AuthBaseUrl.TrimEnd('/')}/oauth2/token?grant_type=client_credentials"
            + $"&client_id={Uri.EscapeDataString(o.ClientId)}&client_secret={Uri.EscapeDataString(o.ClientSecret)}";
        using var response = await http.PostAsync(new Uri(url), content: null, ct);
        var body = await response.Content.ReadAsStringAsync(ct);
        if (response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
            throw new TwitchApiException(
                $"Twitch refused the app credentials (check {TwitchOptions.Section}:ClientId and ClientSecret): {HelixJson.ErrorMessage(body)}",
                response.StatusCode);
        if (!response.IsSuccessStatusCode)
            throw new TwitchApiException(
                $"Twitch token endpoint answered {(int)response.StatusCode}: {HelixJson.ErrorMessage(body)}", response.StatusCode);
        TokenResponse? parsed;
        try
        {
            parsed = JsonSerializer.Deserialize<TokenResponse>(body, HelixJson.Options);
        }
        catch (JsonException e)
        {
            throw HelixJson.Malformed("the app token", body, e.Message, e);
        }
        if (parsed is not { AccessToken.Length: > 0 })
            throw HelixJson.Malformed("the app token", body, "no access_token", null);
        TokensFetched++;
        var lifetime = TimeSpan.FromSeconds(Math.Max(parsed.ExpiresIn, 0));
        var expiresAt = time.GetUtcNow() + (lifetime > ExpiryMargin * 2 ? lifetime - ExpiryMargin : lifetime / 2);
        logger.LogInformation("Fetched a Twitch app token valid for {Seconds} s", parsed.ExpiresIn);
        return new AppToken(parsed.AccessToken, expiresAt);
    }

    public void Dispose() => _gate.Dispose();

    private sealed record AppToken(string Value, DateTimeOffset ExpiresAt);

    private sealed class TokenResponse
    {
        [JsonPropertyName("access_token")] public string AccessToken { get; set; } = "";
        [JsonPropertyName("expires_in")] public long ExpiresIn { get; set; }
        [JsonPropertyName("token_type")] public string? TokenType { get; set; }
    }
}

/// <summary>Adds <c>Client-Id</c> and the app token to every Helix call; on 401 fetches a new token and retries once.</summary>
public sealed class TwitchAuthHandler(TwitchTokenProvider tokens, IOptions<TwitchOptions> options) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var token = await tokens.GetTokenAsync(cancellationToken);
        Apply(request, token);
        var response = await base.SendAsync(request, cancellationToken);
        if (response.StatusCode != HttpStatusCode.Unauthorized)
            return response;
        response.Dispose();
        token = await tokens.RenewAsync(token, cancellationToken);
        Apply(request, token);
        return await base.SendAsync(request, cancellationToken);
    }

    private void Apply(HttpRequestMessage request, string token)
    {
        request.Headers.Remove("Client-Id");
        request.Headers.TryAddWithoutValidation("Client-Id", options.Value.ClientId);
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
    }
}
