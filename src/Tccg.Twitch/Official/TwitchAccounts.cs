using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Tccg.Core.Configuration;
using Tccg.Storage.Settings;
using Tccg.Twitch.Helix;

namespace Tccg.Twitch.Official;

/// <summary>A user token's owner, as <c>/oauth2/validate</c> tells it.</summary>
public sealed record TwitchUserIdentity(string UserId, string Login, IReadOnlyList<string> Scopes);

/// <summary>
/// Connects Twitch accounts with the OAuth authorization-code flow (docs/twitch.md, official downloads): builds
/// the authorize URL, exchanges the code, validates the token and stores the refresh token protected with ASP.NET
/// Data Protection (the key ring in the database, shared by the servers and the CLI). Gives fresh access tokens by refresh.
/// </summary>
public sealed class TwitchAccounts(
    IHttpClientFactory httpFactory,
    IOptions<TwitchOptions> options,
    ITwitchConnectionStore store,
    IDataProtectionProvider protection,
    ILogger<TwitchAccounts> logger)
{
    /// <summary>Either scope lets <c>/helix/clips/downloads</c> answer: the broadcaster's own, or an editor's.</summary>
    public static readonly string[] Scopes = ["editor:manage:clips", "channel:manage:clips"];

    private IDataProtector Protector => protection.CreateProtector("Tccg.Twitch.RefreshTokens.v1");

    public string AuthorizeUrl(string redirectUri, string state)
    {
        var o = options.Value;
        o.RequireCredentials();
        return $"{o.AuthBaseUrl.TrimEnd('/')}/oauth2/authorize?client_id={Uri.EscapeDataString(o.ClientId)}"
            + $"&redirect_uri={Uri.EscapeDataString(redirectUri)}&response_type=code"
            + $"&scope={Uri.EscapeDataString(string.Join(' ', Scopes))}&state={Uri.EscapeDataString(state)}";
    }

    /// <summary>Exchanges the code, stores the account (its own channel plus <paramref name="channels"/>) and returns it.</summary>
    public async Task<TwitchConnection> ConnectAsync(string code, string redirectUri, long? connectedBy, IEnumerable<string> channels, CancellationToken ct)
    {
        var tokens = await TokenAsync(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["code"] = code,
            ["redirect_uri"] = redirectUri,
        }, ct);
        var who = await ValidateAsync(tokens.AccessToken, ct);
        if (!who.Scopes.Any(s => Scopes.Contains(s, StringComparer.Ordinal)))
            throw new TwitchApiException($"Twitch account {who.Login} did not grant {string.Join(" or ", Scopes)}; connect it again and allow clip management.");
        var saved = await store.SaveAsync(new TwitchConnection
        {
            TwitchUserId = who.UserId,
            Login = who.Login,
            Scopes = string.Join(' ', who.Scopes),
            ProtectedRefreshToken = Protector.Protect(tokens.RefreshToken),
            Channels = [who.UserId, .. channels.Where(c => c.Length > 0 && c != who.UserId).Distinct(StringComparer.Ordinal)],
            ConnectedBy = connectedBy,
        }, ct);
        logger.LogInformation("Connected Twitch account {Login} ({UserId}) for official downloads of {Channels} channel(s)", who.Login, who.UserId, saved.Channels.Count);
        return saved;
    }

    /// <summary>A fresh access token for a stored connection (refresh grant).</summary>
    public async Task<(string AccessToken, DateTimeOffset ExpiresAt)> RefreshAsync(TwitchConnection connection, TimeProvider time, CancellationToken ct)
    {
        string refresh;
        try
        {
            refresh = Protector.Unprotect(connection.ProtectedRefreshToken);
        }
        catch (System.Security.Cryptography.CryptographicException e)
        {
            throw new TwitchApiException($"The stored token of Twitch account {connection.Login} cannot be read with this data folder's keys ({e.Message}); connect the account again.");
        }
        var tokens = await TokenAsync(new Dictionary<string, string> { ["grant_type"] = "refresh_token", ["refresh_token"] = refresh }, ct);
        if (tokens.RefreshToken.Length > 0 && tokens.RefreshToken != refresh)
            await store.SaveAsync(connection with { ProtectedRefreshToken = Protector.Protect(tokens.RefreshToken) }, ct);
        return (tokens.AccessToken, time.GetUtcNow().AddSeconds(Math.Max(60, tokens.ExpiresIn) - 30));
    }

    public async Task<TwitchUserIdentity> ValidateAsync(string accessToken, CancellationToken ct)
    {
        var o = options.Value;
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{o.AuthBaseUrl.TrimEnd('/')}/oauth2/validate");
        request.Headers.Authorization = new AuthenticationHeaderValue("OAuth", accessToken);
        using var response = await httpFactory.CreateClient(TwitchServiceCollectionExtensions.AuthClient).SendAsync(request, ct);
        var body = await response.Content.ReadAsStringAsync(ct);
        if (!response.IsSuccessStatusCode)
            throw new TwitchApiException($"Twitch did not accept the new user token ({(int)response.StatusCode}): {HelixJson.ErrorMessage(body)}", response.StatusCode);
        var parsed = JsonSerializer.Deserialize<ValidateResponse>(body, HelixJson.Options)
            ?? throw HelixJson.Malformed("the token validation", body, "empty", null);
        return new TwitchUserIdentity(parsed.UserId ?? "", parsed.Login ?? "", parsed.Scopes ?? []);
    }

    private async Task<TokenResponse> TokenAsync(Dictionary<string, string> form, CancellationToken ct)
    {
        var o = options.Value;
        o.RequireCredentials();
        form["client_id"] = o.ClientId;
        form["client_secret"] = o.ClientSecret;
        using var content = new FormUrlEncodedContent(form);
        using var response = await httpFactory.CreateClient(TwitchServiceCollectionExtensions.AuthClient)
            .PostAsync(new Uri($"{o.AuthBaseUrl.TrimEnd('/')}/oauth2/token"), content, ct);
        var body = await response.Content.ReadAsStringAsync(ct);
        if (response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
            throw new TwitchApiException($"Twitch refused the {form["grant_type"].Replace('_', ' ')} ({(int)response.StatusCode}): {HelixJson.ErrorMessage(body)}", response.StatusCode);
        if (!response.IsSuccessStatusCode)
            throw new TwitchApiException($"Twitch token endpoint answered {(int)response.StatusCode}: {HelixJson.ErrorMessage(body)}", response.StatusCode);
        var parsed = JsonSerializer.Deserialize<TokenResponse>(body, HelixJson.Options);
        if (parsed is not { AccessToken.Length: > 0 })
            throw HelixJson.Malformed("the user token", body, "no access_token", null);
        return parsed;
    }

    private sealed class TokenResponse
    {
        [JsonPropertyName("access_token")] public string AccessToken { get; set; } = "";
        [JsonPropertyName("refresh_token")] public string RefreshToken { get; set; } = "";
        [JsonPropertyName("expires_in")] public long ExpiresIn { get; set; }
    }

    private sealed class ValidateResponse
    {
        [JsonPropertyName("user_id")] public string? UserId { get; set; }
        [JsonPropertyName("login")] public string? Login { get; set; }
        [JsonPropertyName("scopes")] public string[]? Scopes { get; set; }
    }
}
