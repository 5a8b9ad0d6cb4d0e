using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Net.Http.Headers;
using Tccg.Server.Application;

namespace Tccg.Server.Features.ClipBin;

/// <summary>
/// A clip's waveform, filmstrip and scrub proxy (<see cref="ClipMediaService"/>): GET and HEAD, with ETag,
/// Last-Modified and Cache-Control so the editor's browser asks once and then revalidates (304).
/// </summary>
public static class ClipMediaApi
{
    /// <summary>The files change only when the clip file does; a private cache may keep them for a day.</summary>
    public const string CacheControl = "private, max-age=86400";

    public static RouteGroupBuilder MapClipMediaApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/clips").WithTags("Clips");
        string[] getHead = [HttpMethods.Get, HttpMethods.Head];
        group.MapMethods("/{id:long}/waveform", getHead, (long id, ClaimsPrincipal principal, HttpContext http, ClipMediaService media, CancellationToken ct) =>
                ServeAsync(id, ClipMediaKind.Waveform, principal, http, media, ct))
            .RequireAuthorization()
            .WithName("GetClipWaveform").WithSummary("The clip's audio peaks as JSON {v, duration, count, peaks[0–255]}; made on first request");
        group.MapMethods("/{id:long}/filmstrip", getHead, (long id, ClaimsPrincipal principal, HttpContext http, ClipMediaService media, CancellationToken ct) =>
                ServeAsync(id, ClipMediaKind.Filmstrip, principal, http, media, ct))
            .RequireAuthorization()
            .WithName("GetClipFilmstrip").WithSummary($"A JPEG sprite of {ClipMediaService.FilmstripFrames} thumbnails, left to right over the clip");
        group.MapMethods("/{id:long}/proxy", getHead, (long id, ClaimsPrincipal principal, HttpContext http, ClipMediaService media, CancellationToken ct) =>
                ServeAsync(id, ClipMediaKind.Proxy, principal, http, media, ct))
            .RequireAuthorization()
            .WithName("GetClipScrubProxy").WithSummary("A short-GOP 360p MP4 of the clip (no sound) for instant seeking, with Range");
        return api;
    }

    public static async Task<Results<PhysicalFileHttpResult, ProblemHttpResult>> ServeAsync(
        long id, ClipMediaKind kind, ClaimsPrincipal principal, HttpContext http, ClipMediaService media, CancellationToken ct)
    {
        try
        {
            var file = await media.GetAsync(CurrentUser.From(principal), id, kind, ct);
            http.Response.Headers.CacheControl = CacheControl;
            return TypedResults.PhysicalFile(file.Path, file.ContentType, lastModified: file.LastModified,
                entityTag: new EntityTagHeaderValue(file.ETag), enableRangeProcessing: kind == ClipMediaKind.Proxy);
        }
        catch (RuleException e)
        {
            return TypedResults.Problem(statusCode: e.Status, title: e.Title, detail: e.Detail);
        }
    }
}
