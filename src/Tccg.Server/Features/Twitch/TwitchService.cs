using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Tccg.Server.Application;
using Tccg.Twitch.Doctor;
using Tccg.Twitch.Gql;

namespace Tccg.Server.Features.Twitch;

/// <summary>The download settings as the Admin page and the API show them.</summary>
public sealed record TwitchSettingsView(string GqlClientId, string[] ClipAccessHashes, string VideoAccessTokenHash, string Source, string? LastWay);

/// <summary>New values; null leaves one as it is, empty returns it to configuration.</summary>
public sealed record TwitchSettingsChange(string? GqlClientId, string[]? ClipAccessHashes, string? VideoAccessTokenHash);

/// <summary>A connected Twitch account (never its tokens).</summary>
public sealed record TwitchConnectionView(string TwitchUserId, string Login, string Scopes, string[] Channels, DateTimeOffset UpdatedAt);

/// <summary>Downloads paused: since when, why (what to update).</summary>
public sealed record TwitchPauseView(DateTimeOffset Since, string Message, string ConfigKey);

/// <summary>
/// Twitch download settings for every front end (Admin page, API): reading and changing the GQL client id and hash
/// lists (admins only; stored in the database, applied to the next download), the download pause, and the doctor
/// ("Test Twitch connection"). <c>tccg twitch</c> uses the same <see cref="DownloadSettingsProvider"/> and
/// <see cref="TwitchDoctor"/> with the system caller.
/// </summary>
public sealed class TwitchService(DownloadSettingsProvider settings, IServiceProvider services, TimeProvider time)
{
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromMinutes(10);
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, PendingConnect> _pending = new(StringComparer.Ordinal);

    private sealed record PendingConnect(long? UserId, string[] Channels, string RedirectUri, DateTimeOffset ExpiresAt);

    /// <summary>
    /// Starts connecting a Twitch account for official downloads (admins and editors): the URL of Twitch's consent page.
    /// <paramref name="channels"/> are broadcaster ids the account edits, besides its own channel.
    /// </summary>
    public string BeginConnect(CurrentUser user, string redirectUri, IEnumerable<string> channels)
    {
        if (!user.IsEditor)
            throw RuleException.Forbidden("Only admins and editors connect Twitch accounts.");
        var ids = channels.Select(c => c.Trim()).Where(c => c.Length > 0).Distinct(StringComparer.Ordinal).ToArray();
        if (ids.Any(c => c.Length > 20 || !c.All(char.IsAsciiDigit)))
            throw RuleException.Invalid("channels", "Channels are Twitch broadcaster ids (digits), separated by commas.");
        var now = time.GetUtcNow();
        foreach (var (key, old) in _pending)
        {
            if (old.ExpiresAt < now)
                _pending.TryRemove(key, out _);
        }
        var state = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
        _pending[state] = new PendingConnect(user.Id, ids, redirectUri, now + ConnectTimeout);
        return services.GetRequiredService<Tccg.Twitch.Official.TwitchAccounts>().AuthorizeUrl(redirectUri, state);
    }

    /// <summary>Twitch sent the browser back: exchange the code (the state must be the one this user started).</summary>
    public async Task<TwitchConnectionView> CompleteConnectAsync(CurrentUser user, string? code, string? state, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(state) || !_pending.TryRemove(state, out var pending) || pending.ExpiresAt < time.GetUtcNow())
            throw RuleException.Invalid("state", "This connection attempt is unknown or expired; start again from the Admin page.");
        if (pending.UserId != user.Id)
            throw RuleException.Forbidden("This connection attempt was started by another user.");
        if (string.IsNullOrEmpty(code))
            throw RuleException.Invalid("code", "Twitch did not send an authorization code (was access denied?).");
        Tccg.Storage.Settings.TwitchConnection connection;
        try
        {
            connection = await services.GetRequiredService<Tccg.Twitch.Official.TwitchAccounts>()
                .ConnectAsync(code, pending.RedirectUri, user.Id, pending.Channels, ct);
        }
        catch (Tccg.Twitch.TwitchApiException e)
        {
            throw new RuleException(502, "Twitch refused the connection", e.Message);
        }
        services.GetRequiredService<Tccg.Twitch.Official.OfficialClipUrls>().Invalidate();
        return View(connection);
    }

    public async Task<TwitchConnectionView[]> ListConnectionsAsync(CurrentUser user, CancellationToken ct)
    {
        RequireAdmin(user);
        return [.. (await services.GetRequiredService<Tccg.Storage.Settings.ITwitchConnectionStore>().ListAsync(ct)).Select(View)];
    }

    public async Task DisconnectAsync(CurrentUser user, string twitchUserId, CancellationToken ct)
    {
        RequireAdmin(user);
        if (!await services.GetRequiredService<Tccg.Storage.Settings.ITwitchConnectionStore>().DeleteAsync(twitchUserId, ct))
            throw RuleException.NotFound($"No connected Twitch account {twitchUserId}.");
        services.GetRequiredService<Tccg.Twitch.Official.OfficialClipUrls>().Invalidate();
    }

    private static TwitchConnectionView View(Tccg.Storage.Settings.TwitchConnection c) =>
        new(c.TwitchUserId, c.Login, c.Scopes, [.. c.Channels], c.UpdatedAt);

    public async Task<TwitchSettingsView> GetSettingsAsync(CurrentUser user, CancellationToken ct)
    {
        RequireAdmin(user);
        var s = await settings.GetAsync(ct);
        return new TwitchSettingsView(s.GqlClientId, [.. s.ClipAccessHashes], s.VideoAccessTokenHash,
            s.HashesSource == SettingSource.Database || s.ClientIdSource == SettingSource.Database ? "database" : "configuration",
            await settings.GetLastWayAsync(ct));
    }

    public async Task<TwitchSettingsView> SaveSettingsAsync(CurrentUser user, TwitchSettingsChange change, CancellationToken ct)
    {
        RequireAdmin(user);
        var hashes = change.ClipAccessHashes is null ? null : DownloadSettingsProvider.SplitHashes(string.Join(',', change.ClipAccessHashes));
        foreach (var hash in hashes ?? [])
        {
            if (!DownloadSettingsProvider.IsHash(hash))
                throw RuleException.Invalid("clipAccessHashes", $"'{hash}' is not a persisted-query hash (64 hexadecimal digits).");
        }
        var video = change.VideoAccessTokenHash?.Trim();
        if (video is { Length: > 0 } && !DownloadSettingsProvider.IsHash(video))
            throw RuleException.Invalid("videoAccessTokenHash", "A persisted-query hash is 64 hexadecimal digits.");
        var client = change.GqlClientId?.Trim();
        if (client is { Length: > 64 } || (client is not null && !client.All(char.IsAsciiLetterOrDigit)))
            throw RuleException.Invalid("gqlClientId", "The GQL Client-ID is up to 64 letters and digits.");
        await settings.SaveAsync(client, hashes, video, ct);
        return await GetSettingsAsync(user, ct);
    }

    /// <summary>The pause, for the dashboard banner (every signed-in user sees it).</summary>
    public async Task<TwitchPauseView?> GetPauseAsync(CancellationToken ct) =>
        await settings.GetPauseAsync(ct) is { } p ? new TwitchPauseView(p.Since, p.Message, p.ConfigKey) : null;

    public async Task<DoctorReport> TestConnectionAsync(CurrentUser user, string? clipId, CancellationToken ct)
    {
        RequireAdmin(user);
        if (clipId is { Length: > 100 })
            throw RuleException.Invalid("clipId", "A clip id is at most 100 characters.");
        using var scope = services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<TwitchDoctor>().RunAsync(string.IsNullOrWhiteSpace(clipId) ? null : clipId.Trim(), ct);
    }

    private static void RequireAdmin(CurrentUser user)
    {
        if (!user.IsAdmin)
            throw RuleException.Forbidden("Only admins change Twitch settings.");
    }
}

/// <summary><c>/readyz</c> reports paused downloads as Degraded, with what to update.</summary>
internal sealed class TwitchDownloadsHealthCheck(TwitchService twitch) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            return await twitch.GetPauseAsync(cancellationToken) is { } pause
                ? HealthCheckResult.Degraded($"clip downloads paused since {pause.Since:u}: {pause.Message}")
                : HealthCheckResult.Healthy("clip downloads are not paused");
        }
        catch (Exception e) when (e is System.Data.Common.DbException or InvalidOperationException)
        {
            return HealthCheckResult.Degraded($"download pause unknown: {e.Message}");
        }
    }
}

public static class TwitchFeature
{
    public static IServiceCollection AddTwitchFeature(this IServiceCollection services)
    {
        services.AddSingleton<TwitchService>();
        services.AddHealthChecks().AddCheck<TwitchDownloadsHealthCheck>("twitch-downloads", tags: ["ready"]);
        return services;
    }

    public static RouteGroupBuilder MapTwitchApi(this RouteGroupBuilder api)
    {
        var twitch = api.MapGroup("/twitch").WithTags("Twitch").RequireAuthorization();
        twitch.MapGet("/settings", (HttpContext http, TwitchService s, CancellationToken ct) =>
            s.GetSettingsAsync(CurrentUser.From(http.User), ct)).WithName("GetTwitchSettings").WithSummary("GQL client id, hashes in order, the way that last worked");
        twitch.MapPut("/settings", (TwitchSettingsChange change, HttpContext http, TwitchService s, CancellationToken ct) =>
            s.SaveSettingsAsync(CurrentUser.From(http.User), change, ct)).WithName("SetTwitchSettings").WithSummary("Change them without a restart (the next download uses them)");
        twitch.MapGet("/pause", async (TwitchService s, CancellationToken ct) => await s.GetPauseAsync(ct) is { } p ? Results.Ok(p) : Results.NoContent())
            .WithName("GetTwitchPause").WithSummary("Why downloads are paused (204 when they are not)");
        twitch.MapPost("/doctor", (string? clip, HttpContext http, TwitchService s, CancellationToken ct) =>
            s.TestConnectionAsync(CurrentUser.From(http.User), clip, ct)).WithName("TestTwitchConnection").WithSummary("Credentials, Helix, each GQL way, the CDN");
        twitch.MapGet("/connections", (HttpContext http, TwitchService s, CancellationToken ct) =>
            s.ListConnectionsAsync(CurrentUser.From(http.User), ct)).WithName("ListTwitchConnections").WithSummary("Connected Twitch accounts (official downloads)");
        twitch.MapDelete("/connections/{twitchUserId}", async (string twitchUserId, HttpContext http, TwitchService s, CancellationToken ct) =>
        {
            await s.DisconnectAsync(CurrentUser.From(http.User), twitchUserId, ct);
            return Results.NoContent();
        }).WithName("DisconnectTwitchAccount").WithSummary("Forget a connected account and its token");
        twitch.MapGet("/oauth/connect", (string? channels, HttpContext http, TwitchService s, Microsoft.Extensions.Options.IOptions<Tccg.Core.Configuration.TwitchOptions> o, ApiLinks links) =>
            Results.Redirect(s.BeginConnect(CurrentUser.From(http.User), RedirectUri(http, o.Value, links), (channels ?? "").Split(','))))
            .WithName("ConnectTwitchAccount").WithSummary("Redirects to Twitch's consent page (authorization-code flow)");
        twitch.MapGet("/oauth/callback", async (string? code, string? state, HttpContext http, TwitchService s, CancellationToken ct) =>
        {
            var connected = await s.CompleteConnectAsync(CurrentUser.From(http.User), code, state, ct);
            return Results.Redirect("/admin?twitch=" + Uri.EscapeDataString(connected.Login));
        }).WithName("TwitchOAuthCallback").WithSummary("Where Twitch sends the browser back");
        return api;
    }

    private static string RedirectUri(HttpContext http, Tccg.Core.Configuration.TwitchOptions o, ApiLinks links) =>
        o.OAuthRedirectUrl.Length > 0 ? o.OAuthRedirectUrl : $"{http.Request.Scheme}://{http.Request.Host}{links.To("/twitch/oauth/callback")}";
}
