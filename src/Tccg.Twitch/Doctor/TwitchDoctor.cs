using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Tccg.Core.Configuration;
using Tccg.Core.Clips;
using Tccg.Storage.Clips;
using Tccg.Twitch.Gql;
using Tccg.Twitch.Helix;

namespace Tccg.Twitch.Doctor;

public enum DoctorVerdict
{
    Ok,
    Warning,
    Failed,
    Skipped,
}

/// <summary>One row of the doctor's table: what was checked, how it went, what was seen and how to fix it.</summary>
public sealed record DoctorLine(string Check, DoctorVerdict Verdict, string Detail, string? Fix);

/// <summary>The doctor's table; <see cref="DownloadsWork"/> when no line failed.</summary>
public sealed record DoctorReport(IReadOnlyList<DoctorLine> Lines, string? ClipId)
{
    public bool DownloadsWork => Lines.All(l => l.Verdict != DoctorVerdict.Failed);
}

/// <summary>
/// Checks everything a download needs, in the order it needs it: the app credentials (a token), Helix (reachable,
/// rate-limit headroom), each GQL way on a known clip (answers or stale), and a CDN fetch of the clip's first bytes.
/// Each line has a verdict and a fix. When a way answers and the CDN serves, a download pause is lifted.
/// Used by <c>tccg twitch doctor</c> and the Admin page's "Test Twitch connection".
/// </summary>
public sealed class TwitchDoctor(
    TwitchTokenProvider tokens,
    HelixClient helix,
    HelixRateLimiter rateLimiter,
    ClipUrlResolver resolver,
    DownloadSettingsProvider settings,
    IClipStore clips,
    IHttpClientFactory httpFactory,
    IOptions<TwitchOptions> options,
    TimeProvider time,
    ILogger<TwitchDoctor> logger)
{
    public async Task<DoctorReport> RunAsync(string? clipId, CancellationToken ct)
    {
        var lines = new List<DoctorLine>();
        var credentialsFix = $"Set {TwitchOptions.Section}:ClientId and ClientSecret to your application's (dev.twitch.tv/console).";
        var credentialsOk = false;
        try
        {
            options.Value.RequireCredentials();
            await tokens.GetTokenAsync(ct);
            credentialsOk = true;
            lines.Add(new("App credentials", DoctorVerdict.Ok, $"app token issued by {options.Value.AuthBaseUrl}", null));
        }
        catch (Exception e) when (e is TwitchApiException or OptionsKeyMissingException or HttpRequestException)
        {
            lines.Add(new("App credentials", DoctorVerdict.Failed, e.Message, credentialsFix));
        }

        if (credentialsOk)
        {
            try
            {
                var top = await helix.GetTopGamesAsync(1, null, ct);
                var budget = rateLimiter.Snapshot();
                var headroom = budget.Limit is { } limit ? $"{budget.Remaining}/{limit} points left this minute" : "no rate-limit headers";
                var low = budget.Limit is { } l && budget.Remaining < l / 10;
                lines.Add(new("Helix API", low ? DoctorVerdict.Warning : DoctorVerdict.Ok, $"{options.Value.HelixBaseUrl} answers; {headroom}",
                    low ? "Another program spends this app's rate limit; finds will be slow until it stops." : null));
                if (clipId is null && top.Data.Count > 0)
                {
                    var now = time.GetUtcNow();
                    var page = await helix.GetClipsAsync(top.Data[0].Id, now.AddDays(-7), now, null, ct, first: 1);
                    clipId = page.Data.Count > 0 ? page.Data[0].Id : null;
                }
            }
            catch (Exception e) when (e is TwitchApiException or HttpRequestException)
            {
                lines.Add(new("Helix API", DoctorVerdict.Failed, e.Message, $"Check {TwitchOptions.Section}:HelixBaseUrl and the network."));
            }
        }
        else
        {
            lines.Add(new("Helix API", DoctorVerdict.Skipped, "needs the app credentials", credentialsFix));
        }

        if (clipId is null)
        {
            var known = await clips.QueryAsync(new ClipQuery { Status = ClipStatus.Downloaded, Limit = 1 }, ct);
            clipId = known.Items.Count > 0 ? known.Items[0].TwitchClipId : null;
        }

        var current = await settings.GetAsync(ct);
        ClipUrlResult.Ready? ready = null;
        if (clipId is null)
        {
            lines.Add(new("GQL ways", DoctorVerdict.Failed, "no known clip to try them on", "Pass --clip ID (a clip id from twitch.tv) or fix Helix first."));
        }
        else
        {
            var anyAnswered = false;
            foreach (var way in current.Ways)
            {
                var name = $"GQL {way.Label}";
                try
                {
                    switch (await resolver.TryWayAsync(way, current.GqlClientId, clipId, ct))
                    {
                        case GqlWayOutcome.Answered { Result: var result }:
                            anyAnswered = true;
                            ready ??= result as ClipUrlResult.Ready;
                            lines.Add(new(name, DoctorVerdict.Ok, "answers" + result switch
                            {
                                ClipUrlResult.Ready r => $" (clip {clipId}: {r.Quality})",
                                ClipUrlResult.Deleted => $" (clip {clipId} is deleted; pass --clip ID for a live one)",
                                ClipUrlResult.NotReady n => $" (clip {clipId}: {n.Reason})",
                                _ => "",
                            }, null));
                            break;
                        default:
                            lines.Add(new(name, DoctorVerdict.Warning, "stale: Twitch answers PersistedQueryNotFound",
                                way.Operation == GqlWay.VideoAccessTokenClip
                                    ? $"Replace it: tccg twitch set-hash --video-access-token HASH (or {way.ConfigKey})."
                                    : $"Replace it: tccg twitch set-hash --clip-access HASH (or {way.ConfigKey})."));
                            break;
                    }
                }
                catch (GqlClientIdRejectedException e)
                {
                    lines.Add(new(name, DoctorVerdict.Failed, $"GQL rejects the Client-ID {current.GqlClientId}",
                        "Copy the Client-ID header twitch.tv sends to gql.twitch.tv: tccg twitch set-hash --gql-client-id ID."));
                    logger.LogInformation("Doctor: {Message}", e.Message);
                    break;
                }
                catch (Exception e) when (e is TwitchApiException or HttpRequestException)
                {
                    lines.Add(new(name, DoctorVerdict.Warning, e.Message, $"Check {TwitchOptions.Section}:GqlUrl and the network."));
                }
            }
            if (!anyAnswered)
                lines.Add(new("GQL verdict", DoctorVerdict.Failed, "no way answers: downloads stay paused",
                    "Find the current sha256Hash of ShareClipRenderStatus on twitch.tv (developer tools, gql.twitch.tv request) and run tccg twitch set-hash --clip-access HASH."));
        }

        if (ready is null)
        {
            lines.Add(new("CDN", clipId is null ? DoctorVerdict.Skipped : DoctorVerdict.Failed, "no signed clip URL to fetch",
                "Fix the GQL lines above (or pass --clip with a live clip)."));
        }
        else
        {
            lines.Add(await CdnAsync(ready.Url, ct));
        }

        var report = new DoctorReport(lines, clipId);
        if (report.DownloadsWork)
            await settings.ResumeAsync(ct);
        return report;
    }

    private async Task<DoctorLine> CdnAsync(Uri url, CancellationToken ct)
    {
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Headers.Range = new RangeHeaderValue(0, 1023);
            using var response = await httpFactory.CreateClient(TwitchServiceCollectionExtensions.MediaClient)
                .SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
            if (response.StatusCode is not (HttpStatusCode.OK or HttpStatusCode.PartialContent))
                return new("CDN", DoctorVerdict.Failed, $"{url.Host} answered {(int)response.StatusCode} {response.StatusCode}",
                    "The signed URL was refused: check the clock (tokens expire) and that the CDN host is reachable.");
            var buffer = new byte[1024];
            await using var stream = await response.Content.ReadAsStreamAsync(ct);
            var read = 0;
            while (read < 12 && await stream.ReadAsync(buffer.AsMemory(read), ct) is var n and > 0)
                read += n;
            var isMp4 = read >= 8 && buffer[4] == (byte)'f' && buffer[5] == (byte)'t' && buffer[6] == (byte)'y' && buffer[7] == (byte)'p';
            return isMp4
                ? new("CDN", DoctorVerdict.Ok, $"{url.Host} serves the clip (first {read} bytes are MP4)", null)
                : new("CDN", DoctorVerdict.Failed, $"{url.Host} answered, but not with an MP4 ({response.Content.Headers.ContentType})",
                    "A proxy or captive portal may stand in the way; fetch the URL by hand to see.");
        }
        catch (HttpRequestException e)
        {
            return new("CDN", DoctorVerdict.Failed, $"{url.Host}: {e.Message}", "Check the network and any proxy between this machine and the CDN.");
        }
    }
}
