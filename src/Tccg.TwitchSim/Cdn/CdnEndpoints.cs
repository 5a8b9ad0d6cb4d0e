using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Tccg.TwitchSim.Hosting;
using Tccg.TwitchSim.World;

namespace Tccg.TwitchSim.Cdn;

/// <summary>
/// The clip CDN (<c>/cdn/{slug}/{asset}/{landscape|portrait}-{quality}.mp4?sig=…&amp;token=…</c>, signed, with Range),
/// the legacy media host (<c>/clips-media-assets2/{name}.mp4</c>, unsigned like the old one) and thumbnails.
/// </summary>
internal static class CdnEndpoints
{
    /// <summary>What a broken edge node sends with a 200 instead of a clip (<see cref="World.SimClip.IsMediaBroken"/>).</summary>
    private const string BrokenPage = "<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1><p>upstream sent an invalid response</p></body></html>\n";

    public static void MapCdn(this IEndpointRouteBuilder app)
    {
        string[] getAndHead = [HttpMethods.Get, HttpMethods.Head];
        app.MapMethods("/cdn/{slug}/{asset}/{file}", getAndHead, GetClipMediaAsync);
        app.MapMethods("/clips-media-assets2/{file}", getAndHead, GetLegacyAsync);
        app.MapMethods("/thumbs/{**rest}", getAndHead, GetThumbnailAsync);
    }

    /// <summary>The CDN path of one quality of a clip asset (without the signature query).</summary>
    public static string SourceUrl(string baseUrl, SimClip clip, bool portrait, int quality) =>
        string.Create(CultureInfo.InvariantCulture, $"{baseUrl}/cdn/{clip.Id}/{clip.AssetId}/{(portrait ? "portrait" : "landscape")}-{quality}.mp4");

    private static async Task<IResult> GetClipMediaAsync(string slug, string asset, string file, HttpRequest request, SimState state)
    {
        if (!state.World.ClipsById.TryGetValue(slug, out var clip) || !string.Equals(asset, clip.AssetId, StringComparison.Ordinal))
            return Results.NotFound();
        var check = state.Signer.Verify(request.Query["sig"].FirstOrDefault(), request.Query["token"].FirstOrDefault(), slug);
        if (check != SignatureCheck.Ok || clip.IsDeleted)
        {
            state.Counters.CdnForbiddenSent();
            return Results.Text($"AccessDenied: {(clip.IsDeleted ? "clip deleted" : check.ToString())}", "text/plain", statusCode: 403);
        }

        if (!TryParseFile(file, out var portrait, out var quality) || (portrait && !clip.HasPortrait))
            return Results.NotFound();
        if (clip.IsMediaBroken)
            return Results.Text(BrokenPage, "text/html", statusCode: 200);
        var profile = portrait ? MediaProfile.Vertical1080x1920 : clip.Profile;
        var offered = MediaSpec.Qualities(profile).Where(q => q.Quality == quality).ToList();
        if (offered.Count == 0)
            return Results.NotFound();
        var spec = MediaSpec.For(profile, quality, offered[0].Fps, state.Options.MediaSize, clip.Duration, clip.Id, state.Options.FullSizeMaxSeconds);
        if (state.Options.DistinctAudio)
            spec = spec.WithAudioOf(clip, state.Options.MediaSize);
        return Results.File(await state.Media.GetAsync(spec), "video/mp4", enableRangeProcessing: true);
    }

    private static async Task<IResult> GetLegacyAsync(string file, SimState state)
    {
        const string thumbnailSuffix = "-preview-480x272.jpg";
        if (file.EndsWith(thumbnailSuffix, StringComparison.Ordinal))
            return Results.File(await state.Media.GetThumbnailAsync(), "image/jpeg");
        if (!file.EndsWith(".mp4", StringComparison.Ordinal)
            || !state.World.ClipsByLegacyName.TryGetValue(file[..^4], out var clip)
            || clip.IsDeleted)
            return Results.NotFound();
        var spec = MediaSpec.For(clip.Profile, 720, 30, state.Options.MediaSize, clip.Duration, clip.Id, state.Options.FullSizeMaxSeconds);
        return Results.File(await state.Media.GetAsync(spec), "video/mp4", enableRangeProcessing: true);
    }

    private static async Task<IResult> GetThumbnailAsync(SimState state) =>
        Results.File(await state.Media.GetThumbnailAsync(), "image/jpeg");

    private static bool TryParseFile(string file, out bool portrait, out int quality)
    {
        portrait = file.StartsWith("portrait-", StringComparison.Ordinal);
        quality = 0;
        var dash = file.IndexOf('-', StringComparison.Ordinal);
        return file.EndsWith(".mp4", StringComparison.Ordinal)
               && (portrait || file.StartsWith("landscape-", StringComparison.Ordinal))
               && int.TryParse(file.AsSpan(dash + 1, file.Length - dash - 5), NumberStyles.None, CultureInfo.InvariantCulture, out quality);
    }
}
