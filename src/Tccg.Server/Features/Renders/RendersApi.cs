using System.Runtime.CompilerServices;
using System.Security.Claims;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Hosting;
using Tccg.Generator;
using Tccg.Server.Application;
using Tccg.Server.Auth;
using Tccg.Storage.Renders;

namespace Tccg.Server.Features.Renders;

/// <summary>Renders for editors: list, status, downloads, delete, re-render, cancel and live progress (SSE).</summary>
public static class RendersApi
{
    public static RouteGroupBuilder MapRendersApi(this RouteGroupBuilder api)
    {
        api.MapGeneratorApi();
        var r = api.MapGroup("/renders").WithTags("Renders").RequireAuthorization(Policies.Editor);
        r.MapGet("/", ListAsync).WithName("ListRenders").WithSummary("Your renders, newest first (admins: everyone's); ?compilationId= and ?batchId= narrow");
        r.MapGet("/{id:long}", GetAsync).WithName("GetRender").WithSummary("Status, stage, percent, ETA, error and output sizes/duration");
        r.MapGet("/{id:long}/video", VideoAsync).WithName("DownloadRenderVideo").WithSummary("The rendered MP4 (Range supported)");
        r.MapGet("/{id:long}/credits", CreditsAsync).WithName("DownloadRenderCredits").WithSummary("The credits and chapters text");
        r.MapGet("/{id:long}/thumbnail", ThumbnailAsync).WithName("DownloadRenderThumbnail").WithSummary("The upload thumbnail (JPEG)");
        r.MapGet("/{id:long}/poster", PosterAsync).WithName("GetRenderPoster").WithSummary("A poster frame of the rendered video (JPEG, 320 px wide), made on first request");
        r.MapDelete("/{id:long}", DeleteAsync).WithName("DeleteRender").WithSummary("Delete a finished render: its files and its record");
        r.MapPost("/{id:long}/rerender", RerenderAsync).WithName("Rerender").WithSummary("Queue the same frozen timeline again");
        r.MapPost("/{id:long}/cancel", CancelAsync).WithName("CancelRender").WithSummary("Cancel a queued or running render");
        r.MapGet("/{id:long}/events", Events).WithName("RenderEvents").WithSummary("Server-sent events with every update of the render until it finishes");
        return api;
    }

    public static async Task<Ok<RenderView[]>> ListAsync(long? compilationId, long? batchId, HttpContext http, RenderService renders, CancellationToken ct) =>
        TypedResults.Ok((await renders.ViewsAsync(http.Caller(), compilationId, ct, batchId)).ToArray());

    public static async Task<Ok<RenderView>> GetAsync(long id, HttpContext http, RenderService renders, CancellationToken ct) =>
        TypedResults.Ok(await renders.ViewAsync(http.Caller(), id, ct));

    public static async Task<PhysicalFileHttpResult> VideoAsync(long id, HttpContext http, RenderService renders, CancellationToken ct)
    {
        var (job, video) = await renders.VideoAsync(http.Caller(), id, ct);
        return TypedResults.PhysicalFile(video, "video/mp4", DownloadName(job, ".mp4"), new FileInfo(video).LastWriteTimeUtc, enableRangeProcessing: true);
    }

    public static async Task<PhysicalFileHttpResult> CreditsAsync(long id, HttpContext http, RenderService renders, CancellationToken ct)
    {
        var (job, credits) = await renders.CreditsAsync(http.Caller(), id, ct);
        return TypedResults.PhysicalFile(credits, "text/plain; charset=utf-8", DownloadName(job, ".txt"));
    }

    public static async Task<PhysicalFileHttpResult> ThumbnailAsync(long id, HttpContext http, RenderService renders, CancellationToken ct)
    {
        var (job, thumbnail) = await renders.ThumbnailAsync(http.Caller(), id, ct);
        return TypedResults.PhysicalFile(thumbnail, "image/jpeg", DownloadName(job, ".jpg"), new FileInfo(thumbnail).LastWriteTimeUtc);
    }

    public static async Task<PhysicalFileHttpResult> PosterAsync(long id, HttpContext http, RenderService renders, CancellationToken ct)
    {
        var poster = await renders.PosterAsync(http.Caller(), id, ct);
        http.Response.Headers.CacheControl = "private, max-age=86400";
        return TypedResults.PhysicalFile(poster, "image/jpeg", lastModified: File.GetLastWriteTimeUtc(poster));
    }

    private static string DownloadName(RenderJob job, string extension) =>
        GeneratorWorker.OutputName(RenderFiles.TryTimeline(job)?.Name ?? "render") + extension;

    public static async Task<NoContent> DeleteAsync(long id, HttpContext http, RenderService renders, CancellationToken ct)
    {
        await renders.DeleteAsync(http.Caller(), id, ct);
        return TypedResults.NoContent();
    }

    public static async Task<Created<RenderView>> RerenderAsync(long id, HttpContext http, RenderService renders, RenderFiles files, ApiLinks links, CancellationToken ct)
    {
        var copy = await renders.RerenderAsync(http.Caller(), id, ct);
        return TypedResults.Created($"/api/v1/renders/{copy.Id}", await RenderViews.ViewAsync(copy, files, links, withDuration: false, ct));
    }

    public static async Task<Ok<RenderView>> CancelAsync(long id, HttpContext http, RenderService renders, RenderFiles files, ApiLinks links, CancellationToken ct) =>
        TypedResults.Ok(await RenderViews.ViewAsync(await renders.CancelAsync(http.Caller(), id, ct), files, links, withDuration: false, ct));

    public static async Task<ServerSentEventsResult<RenderJobUpdate>> Events(
        long id, HttpContext http, RenderService renders, IHostApplicationLifetime lifetime, CancellationToken ct)
    {
        var caller = http.Caller();
        await renders.GetAsync(caller, id, ct);
        return TypedResults.ServerSentEvents(renders.UpdatesAsync(caller, id, lifetime.ApplicationStopping, ct), eventType: "render");
    }
}
