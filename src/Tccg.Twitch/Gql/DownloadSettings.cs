using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Tccg.Core.Configuration;
using Tccg.Storage.Settings;

namespace Tccg.Twitch.Gql;

/// <summary>Where a download setting's value comes from.</summary>
public enum SettingSource
{
    /// <summary>Configuration (appsettings.json, environment, <c>--set</c>) or the built-in default.</summary>
    Configuration,

    /// <summary>Stored in the database by the Admin page or <c>tccg twitch set-hash</c>; wins over configuration.</summary>
    Database,
}

/// <summary>The GQL settings one download uses: client id and the ordered ways to get a signed clip URL.</summary>
public sealed record DownloadSettings(
    string GqlClientId,
    IReadOnlyList<string> ClipAccessHashes,
    string VideoAccessTokenHash,
    SettingSource ClientIdSource,
    SettingSource HashesSource)
{
    /// <summary>ShareClipRenderStatus with each hash in order, then VideoAccessToken_Clip.</summary>
    public IReadOnlyList<GqlWay> Ways =>
    [
        .. ClipAccessHashes.Select(h => new GqlWay(GqlWay.ShareClipRenderStatus, h)),
        .. VideoAccessTokenHash.Length > 0 ? [new GqlWay(GqlWay.VideoAccessTokenClip, VideoAccessTokenHash)] : Array.Empty<GqlWay>(),
    ];

    /// <summary>Changes whenever any setting changes: a pause recorded under other settings no longer holds.</summary>
    public string Fingerprint => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(
        GqlClientId + "\n" + string.Join(",", ClipAccessHashes) + "\n" + VideoAccessTokenHash)))[..16];
}

/// <summary>Downloads stopped because Twitch refused every way: what happened and under which settings.</summary>
public sealed record DownloadPause(DateTimeOffset Since, string Message, string ConfigKey, string Fingerprint);

/// <summary>
/// The GQL client id and hash lists, from configuration overlaid with the values stored in the database (so the
/// Admin page and <c>tccg twitch set-hash</c> change them without a restart; the next download uses them), the way
/// that last worked, and the download pause. Reads are cached for a few seconds; this process's writes are seen at once.
/// </summary>
public sealed class DownloadSettingsProvider(
    ISettingsStore store, IOptionsMonitor<TwitchOptions> options, TimeProvider time, ILogger<DownloadSettingsProvider> logger) : IDisposable
{
    public const string ClientIdName = "twitch.gql_client_id";
    public const string ClipHashesName = "twitch.clip_access_hashes";
    public const string VideoHashName = "twitch.video_access_token_hash";
    public const string PauseName = "twitch.downloads_paused";
    public const string LastWayName = "twitch.gql_last_way";

    private static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(3);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private volatile Snapshot? _snapshot;

    private sealed record Snapshot(DownloadSettings Settings, DownloadPause? Pause, string? LastWay, DateTimeOffset ReadAt);

    public async Task<DownloadSettings> GetAsync(CancellationToken ct) => (await LoadAsync(ct)).Settings;

    /// <summary>The pause, when one was recorded under the current settings (changing any setting lifts it).</summary>
    public async Task<DownloadPause?> GetPauseAsync(CancellationToken ct)
    {
        var snapshot = await LoadAsync(ct);
        return snapshot.Pause is { } p && p.Fingerprint == snapshot.Settings.Fingerprint ? p : null;
    }

    /// <summary>The way that last answered (<see cref="GqlWay.Key"/>), or null.</summary>
    public async Task<string?> GetLastWayAsync(CancellationToken ct) => (await LoadAsync(ct)).LastWay;

    public async Task RememberWayAsync(GqlWay way, CancellationToken ct)
    {
        if ((await LoadAsync(ct)).LastWay == way.Key)
            return;
        await store.SetAsync(LastWayName, way.Key, ct);
        Invalidate();
    }

    public async Task PauseAsync(string message, string configKey, CancellationToken ct)
    {
        var settings = await GetAsync(ct);
        var pause = new DownloadPause(time.GetUtcNow(), message, configKey, settings.Fingerprint);
        await store.SetAsync(PauseName, JsonSerializer.Serialize(pause), ct);
        logger.LogError("Clip downloads paused: {Message}", message);
        Invalidate();
    }

    /// <summary>Lifts a pause (a way answered again). Cheap when there is none.</summary>
    public async Task ResumeAsync(CancellationToken ct)
    {
        if ((await LoadAsync(ct)).Pause is null)
            return;
        await store.SetAsync(PauseName, null, ct);
        logger.LogInformation("Clip downloads resumed");
        Invalidate();
    }

    /// <summary>
    /// Stores new values (null leaves one as it is; an empty list or "" removes the stored value so configuration
    /// applies again). Lifts the pause: the next download tries the new values.
    /// </summary>
    public async Task SaveAsync(string? gqlClientId, IReadOnlyList<string>? clipAccessHashes, string? videoAccessTokenHash, CancellationToken ct)
    {
        if (gqlClientId is not null)
            await store.SetAsync(ClientIdName, gqlClientId.Trim().Length == 0 ? null : gqlClientId.Trim(), ct);
        if (clipAccessHashes is not null)
            await store.SetAsync(ClipHashesName, clipAccessHashes.Count == 0 ? null : string.Join(',', clipAccessHashes), ct);
        if (videoAccessTokenHash is not null)
            await store.SetAsync(VideoHashName, videoAccessTokenHash.Trim().Length == 0 ? null : videoAccessTokenHash.Trim(), ct);
        await store.SetAsync(PauseName, null, ct);
        Invalidate();
    }

    public void Invalidate() => _snapshot = null;

    public void Dispose() => _gate.Dispose();

    private async Task<Snapshot> LoadAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        if (_snapshot is { } fresh && now - fresh.ReadAt < CacheFor)
            return fresh;
        await _gate.WaitAsync(ct);
        try
        {
            if (_snapshot is { } again && now - again.ReadAt < CacheFor)
                return again;
            var stored = await store.GetAllAsync("twitch.", ct);
            var o = options.CurrentValue;
            var storedClientId = stored.GetValueOrDefault(ClientIdName);
            var storedHashes = stored.GetValueOrDefault(ClipHashesName);
            var storedVideo = stored.GetValueOrDefault(VideoHashName);
            var hashes = storedHashes is not null
                ? SplitHashes(storedHashes)
                : SplitHashes((o.ClipAccessHash.Length > 0 ? o.ClipAccessHash + "," : "") + o.ClipAccessHashes);
            var settings = new DownloadSettings(
                storedClientId ?? o.GqlClientId,
                hashes,
                storedVideo ?? o.VideoAccessTokenHash.Trim(),
                storedClientId is null ? SettingSource.Configuration : SettingSource.Database,
                storedHashes is null && storedVideo is null ? SettingSource.Configuration : SettingSource.Database);
            DownloadPause? pause = null;
            if (stored.GetValueOrDefault(PauseName) is { } json)
            {
                try
                {
                    pause = JsonSerializer.Deserialize<DownloadPause>(json);
                }
                catch (JsonException)
                {
                    pause = null;
                }
            }
            var snapshot = new Snapshot(settings, pause, stored.GetValueOrDefault(LastWayName), time.GetUtcNow());
            _snapshot = snapshot;
            return snapshot;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Comma, space or newline separated hashes, in order, each once.</summary>
    public static IReadOnlyList<string> SplitHashes(string text) =>
        text.Split([',', ' ', '\n', '\r', '\t', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Distinct(StringComparer.OrdinalIgnoreCase).ToList();

    /// <summary>A persisted-query hash: 64 hex digits.</summary>
    public static bool IsHash(string value) => value.Length == 64 && value.All(Uri.IsHexDigit);
}
