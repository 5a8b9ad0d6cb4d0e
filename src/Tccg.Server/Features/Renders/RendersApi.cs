using System.Runtime.CompilerServices;
using System.Security.Claims;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Hosting;
using Tccg.Generator;
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
        r.MapGet("/", ListAsync).WithName("ListRenders").WithSummary("Your renders, newest first (admins: everyone's); ?compilationId= narrows");
        r.MapGet("/{id:long}", GetAsync).WithName("GetRender").WithSummary("Status, stage, percent, ETA, error and output sizes/duration");
        r.MapGet("/{id:long}/video", VideoAsync).WithName("DownloadRenderVideo").WithSummary("The rendered MP4 (Range supported)");
        r.MapGet("/{id:long}/credits", CreditsAsync).WithName("DownloadRenderCredits").WithSummary("The credits and chapters text");
        r.MapDelete("/{id:long}", DeleteAsync).WithName("DeleteRender").WithSummary("Delete a finished render: its files and its record");
        r.MapPost("/{id:long}/rerender", RerenderAsync).WithName("Rerender").WithSummary("Queue the same frozen timeline again");
        r.MapPost("/{id:long}/cancel", CancelAsync).WithName("CancelRender").WithSummary("Cancel a queued or running render");
        r.MapGet("/{id:long}/events", Events).WithName("RenderEvents").WithSummary("Server-sent events with every update of the render until it finishes");
        return api;
    }

    private static bool CanSee(ClaimsPrincipal user, RenderJob job) =>
        user.IsAdmin() || job.OwnerId is { } owner && owner == user.UserId();

    /// <summary>The job when the caller may see it; others' renders look just like missing ones.</summary>
    private static async Task<RenderJob?> VisibleAsync(long id, ClaimsPrincipal user, IRenderJobStore jobs, CancellationToken ct) =>
        await jobs.GetAsync(id, ct) is { } job && CanSee(user, job) ? job : null;

    private static ProblemHttpResult NotFound(long id) => TypedResults.Problem(statusCode: 404, title: $"No render {id}.");

    public static async Task<Ok<RenderView[]>> ListAsync(long? compilationId, ClaimsPrincipal user, IRenderJobStore jobs, RenderFiles files, CancellationToken ct)
    {
        // An editor's own renders, newest first, however many others have rendered since.
        var all = await jobs.ListAsync(compilationId, user.IsAdmin() ? null : user.UserId() ?? -1, 500, ct);
        var views = new List<RenderView>();
        foreach (var job in all.Where(j => CanSee(user, j)))
            views.Add(await RenderViews.ViewAsync(job, files, withDuration: false, ct));
        return TypedResults.Ok(views.ToArray());
    }

    public static async Task<Results<Ok<RenderView>, ProblemHttpResult>> GetAsync(long id, ClaimsPrincipal user, IRenderJobStore jobs, RenderFiles files, CancellationToken ct) =>
        await VisibleAsync(id, user, jobs, ct) is { } job
            ? TypedResults.Ok(await RenderViews.ViewAsync(job, files, withDuration: true, ct))
            : NotFound(id);

    public static async Task<Results<PhysicalFileHttpResult, ProblemHttpResult>> VideoAsync(long id, ClaimsPrincipal user, IRenderJobStore jobs, RenderFiles files, CancellationToken ct)
    {
        if (await VisibleAsync(id, user, jobs, ct) is not { } job)
            return NotFound(id);
        if (job.Status != RenderJobStatus.Succeeded || files.Existing(job.OutputPath) is not { } video)
            return TypedResults.Problem(statusCode: 404, title: $"Render {id} has no video.", detail: $"It is {RenderViews.StatusName(job.Status)}.");
        return TypedResults.PhysicalFile(video, "video/mp4", DownloadName(job, ".mp4"), new FileInfo(video).LastWriteTimeUtc, enableRangeProcessing: true);
    }

    public static async Task<Results<PhysicalFileHttpResult, ProblemHttpResult>> CreditsAsync(long id, ClaimsPrincipal user, IRenderJobStore jobs, RenderFiles files, CancellationToken ct)
    {
        if (await VisibleAsync(id, user, jobs, ct) is not { } job)
            return NotFound(id);
        if (job.Status != RenderJobStatus.Succeeded || files.Existing(job.CreditsPath) is not { } credits)
            return TypedResults.Problem(statusCode: 404, title: $"Render {id} has no credits.", detail: $"It is {RenderViews.StatusName(job.Status)}.");
        return TypedResults.PhysicalFile(credits, "text/plain; charset=utf-8", DownloadName(job, ".txt"));
    }

    private static string DownloadName(RenderJob job, string extension) =>
        GeneratorWorker.OutputName(RenderFiles.TryTimeline(job)?.Name ?? "render") + extension;

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(long id, ClaimsPrincipal user, IRenderJobStore jobs, RenderFiles files, CancellationToken ct)
    {
        if (await VisibleAsync(id, user, jobs, ct) is not { } job)
            return NotFound(id);
        if (!job.IsFinished)
            return TypedResults.Problem(statusCode: 409, title: $"Render {id} is still {RenderViews.StatusName(job.Status)}.", detail: "Cancel it first.");
        if (!await jobs.DeleteAsync(id, ct))
            return TypedResults.Problem(statusCode: 409, title: $"Render {id} changed meanwhile; try again.");
        RenderFiles.TryDelete(files.Existing(job.OutputPath));
        RenderFiles.TryDelete(files.Existing(job.CreditsPath));
        return TypedResults.NoContent();
    }

    public static async Task<Results<Created<RenderView>, ProblemHttpResult>> RerenderAsync(long id, ClaimsPrincipal user, IRenderJobStore jobs, RenderFiles files, CancellationToken ct)
    {
        if (await VisibleAsync(id, user, jobs, ct) is not { } job)
            return NotFound(id);
        if (RenderFiles.TryTimeline(job) is null)
            return TypedResults.Problem(statusCode: 409, title: $"Render {id} has no usable timeline.");
        var copy = await jobs.EnqueueAsync(job.CompilationId, job.OwnerId ?? user.UserId(), job.TimelineJson, ct);
        return TypedResults.Created($"/api/v1/renders/{copy.Id}", await RenderViews.ViewAsync(copy, files, withDuration: false, ct));
    }

    public static async Task<Results<Ok<RenderView>, ProblemHttpResult>> CancelAsync(long id, ClaimsPrincipal user, IRenderJobStore jobs, RenderFiles files, CancellationToken ct)
    {
        if (await VisibleAsync(id, user, jobs, ct) is null)
            return NotFound(id);
        if (!await jobs.CancelAsync(id, ct))
            return TypedResults.Problem(statusCode: 409, title: $"Render {id} has already finished.");
        return TypedResults.Ok(await RenderViews.ViewAsync((await jobs.GetAsync(id, ct))!, files, withDuration: false, ct));
    }

    public static async Task<Results<ServerSentEventsResult<RenderJobUpdate>, ProblemHttpResult>> Events(
        long id, ClaimsPrincipal user, IRenderJobStore jobs, RenderProgressNotifier notifier, IHostApplicationLifetime lifetime, CancellationToken ct)
    {
        if (await VisibleAsync(id, user, jobs, ct) is null)
            return NotFound(id);
        return TypedResults.ServerSentEvents(StreamAsync(id, jobs, notifier, lifetime.ApplicationStopping, ct), eventType: "render");
    }

    /// <summary>The current state, then every update until the render finishes (the store is re-read every few seconds as well).</summary>
    private static async IAsyncEnumerable<RenderJobUpdate> StreamAsync(
        long id, IRenderJobStore jobs, RenderProgressNotifier notifier, CancellationToken stopping, [EnumeratorCancellation] CancellationToken requestAborted)
    {
        // The stream also ends when the server stops, so open streams do not hold up its shutdown.
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(requestAborted, stopping);
        var ct = linked.Token;
        var channel = Channel.CreateBounded<RenderJobUpdate>(new BoundedChannelOptions(64) { FullMode = BoundedChannelFullMode.DropOldest });
        using var subscription = notifier.Subscribe(u =>
        {
            if (u.JobId == id)
                channel.Writer.TryWrite(u);
        });
        var update = await CurrentAsync(id, jobs, ct);
        while (true)
        {
            yield return update;
            if (update.IsFinished || ct.IsCancellationRequested)
                yield break;
            update = await NextAsync(id, channel.Reader, jobs, ct);
        }
    }

    private static async Task<RenderJobUpdate> CurrentAsync(long id, IRenderJobStore jobs, CancellationToken ct) =>
        await jobs.GetAsync(id, ct) is { } job
            ? NotifyingRenderJobStore.Update(job)
            : new RenderJobUpdate(id, "deleted", null, null, null, null);

    private static async Task<RenderJobUpdate> NextAsync(long id, ChannelReader<RenderJobUpdate> reader, IRenderJobStore jobs, CancellationToken ct)
    {
        using var poll = CancellationTokenSource.CreateLinkedTokenSource(ct);
        poll.CancelAfter(TimeSpan.FromSeconds(5));
        try
        {
            return await reader.ReadAsync(poll.Token);
        }
        catch (OperationCanceledException)
        {
            return await CurrentAsync(id, jobs, CancellationToken.None);
        }
    }
}
