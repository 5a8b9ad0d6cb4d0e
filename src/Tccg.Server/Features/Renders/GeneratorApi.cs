using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using Tccg.Core.Clips;
using Tccg.Core.Configuration;
using Tccg.Generator.Protocol;
using Tccg.Server.Auth;
using Tccg.Storage;
using Tccg.Storage.Clips;
using Tccg.Storage.Renders;

namespace Tccg.Server.Features.Renders;

/// <summary>The generator protocol (docs/generator.md): lease, heartbeat, progress, inputs, outputs, complete, fail.</summary>
public static partial class GeneratorApi
{
    private static readonly FileExtensionContentTypeProvider ContentTypes = new();
    private static readonly TimeSpan RecheckEvery = TimeSpan.FromSeconds(5);

    public static RouteGroupBuilder MapGeneratorApi(this RouteGroupBuilder api)
    {
        var g = api.MapGroup("/generator").WithTags("Generator").RequireAuthorization(Policies.Worker);
        g.MapPost("/lease", LeaseAsync).WithName("LeaseRenderJob")
            .WithSummary("Wait up to ?wait= seconds (at most 25) for a render job; 200 with the lease, 204 when none came");
        g.MapPost("/jobs/{id:long}/heartbeat", HeartbeatAsync).WithName("HeartbeatRenderJob").WithSummary("Extend the lease; 409 when it is lost");
        g.MapPost("/jobs/{id:long}/progress", ProgressAsync).WithName("ReportRenderProgress").WithSummary("Stage, percent and ETA; 409 when the lease is lost");
        g.MapGet("/jobs/{id:long}/inputs", GetInputAsync).WithName("GetRenderInput")
            .WithSummary("Download one file the job's timeline refers to (?path=clips/…); Range and If-None-Match supported");
        g.MapPut("/jobs/{id:long}/outputs/{kind}", PutOutputAsync).WithName("PutRenderOutput")
            .WithSummary("Upload the MP4 (kind video), the credits text (kind credits) or the JPEG thumbnail (kind thumbnail) as the raw body, ?leaseId=…")
            .DisableAntiforgery();
        g.MapPost("/jobs/{id:long}/complete", CompleteAsync).WithName("CompleteRenderJob")
            .WithSummary("Finish the job with the uploaded outputs; repeating it with the same lease returns the same answer");
        g.MapPost("/jobs/{id:long}/fail", FailAsync).WithName("FailRenderJob").WithSummary("Give up on the job with an error text");
        return api;
    }

    private static TimeSpan LeaseFor(IOptions<ServerOptions> options) => TimeSpan.FromSeconds(options.Value.RenderLeaseSeconds);

    private static bool Held(RenderJob job, string leaseId) =>
        job.Status is RenderJobStatus.Leased or RenderJobStatus.Running && string.Equals(job.LeaseId, leaseId, StringComparison.Ordinal);

    private static ProblemHttpResult LeaseLost(long id) =>
        TypedResults.Problem(statusCode: 409, title: "Lease lost", detail: $"Render job {id} is no longer leased with this lease id (expired, taken by another generator, or cancelled).");

    private static ProblemHttpResult NoJob(long id) => TypedResults.Problem(statusCode: 404, title: $"No render job {id}.");

    private static ProblemHttpResult NeedLease() => TypedResults.Problem(statusCode: 400, title: "leaseId is required.");

    private static CompletionResponse Answer(RenderJob job) => new(job.Id, RenderViews.StatusName(job.Status), job.Error);

    public static async Task<Results<Ok<LeaseResponse>, NoContent>> LeaseAsync(
        LeaseRequest? request, int? wait, HttpContext http, IRenderJobStore jobs, RenderQueueSignal signal,
        IOptions<ServerOptions> options, TimeProvider time, IHostApplicationLifetime lifetime, ILoggerFactory loggers, CancellationToken ct)
    {
        // A server shutting down answers waiting generators at once instead of holding its stop for the wait.
        using var waiting = CancellationTokenSource.CreateLinkedTokenSource(ct, lifetime.ApplicationStopping);
        var name = $"{http.User.Identity?.Name ?? "worker"}/{request?.Worker ?? "?"}";
        var worker = name[..Math.Min(128, name.Length)];
        var deadline = time.GetUtcNow() + TimeSpan.FromSeconds(Math.Clamp(wait ?? (int)GeneratorRoutes.MaxLeaseWait.TotalSeconds, 0, (int)GeneratorRoutes.MaxLeaseWait.TotalSeconds));
        var leaseFor = LeaseFor(options);
        while (true)
        {
            var pulse = signal.NextPulse;
            await jobs.RequeueExpiredAsync(options.Value.RenderMaxAttempts, ct);
            if (await jobs.LeaseAsync(worker, leaseFor, ct) is { } lease)
            {
                if (RenderFiles.TryTimeline(lease.Job) is { } timeline)
                    return TypedResults.Ok(new LeaseResponse(lease.Job.Id, lease.LeaseId, lease.ExpiresAt, leaseFor.TotalSeconds, lease.Job.Attempts, timeline));
                LogBadTimeline(loggers.CreateLogger(typeof(GeneratorApi)), lease.Job.Id);
                await jobs.CompleteAsync(lease.Job.Id, lease.LeaseId, RenderOutcome.Failure("The render job's timeline is not valid JSON."), ct);
                continue;
            }

            var left = deadline - time.GetUtcNow();
            if (left <= TimeSpan.Zero || waiting.IsCancellationRequested)
                return TypedResults.NoContent();
            // Woken at once by an enqueue or by the sweeper requeueing an expired lease; the slow periodic
            // look is only a safety net (e.g. a job enqueued by another server process on the same database).
            await Task.WhenAny(pulse, Task.Delay(left < RecheckEvery ? left : RecheckEvery, time, waiting.Token));
            ct.ThrowIfCancellationRequested();
        }
    }

    public static async Task<Results<Ok<HeartbeatResponse>, ProblemHttpResult>> HeartbeatAsync(
        long id, LeaseHeldRequest request, IRenderJobStore jobs, IOptions<ServerOptions> options, TimeProvider time, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(request.LeaseId))
            return NeedLease();
        var leaseFor = LeaseFor(options);
        return await jobs.HeartbeatAsync(id, request.LeaseId, leaseFor, ct)
            ? TypedResults.Ok(new HeartbeatResponse(time.GetUtcNow() + leaseFor))
            : LeaseLost(id);
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> ProgressAsync(long id, ProgressRequest request, IRenderJobStore jobs, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(request.LeaseId))
            return NeedLease();
        if (!double.IsFinite(request.Percent) || request.EtaSeconds is { } eta && (!double.IsFinite(eta) || eta < 0))
            return TypedResults.Problem(statusCode: 400, title: "percent and etaSeconds must be finite numbers (etaSeconds ≥ 0).");
        var stage = string.IsNullOrWhiteSpace(request.Stage) ? "Rendering" : request.Stage.Trim();
        return await jobs.ReportProgressAsync(id, request.LeaseId, stage[..Math.Min(64, stage.Length)], request.Percent, request.EtaSeconds, ct)
            ? TypedResults.NoContent()
            : LeaseLost(id);
    }

    public static async Task<Results<PhysicalFileHttpResult, ProblemHttpResult>> GetInputAsync(
        long id, string? path, IRenderJobStore jobs, RenderFiles files, CancellationToken ct)
    {
        if (!RenderFiles.IsSafeRelative(path))
            return TypedResults.Problem(statusCode: 400, title: "Not a storage-relative path",
                detail: "path must be relative to the storage root (e.g. clips/123.mp4), without '..', '.', backslashes or a leading '/'.");
        if (await jobs.GetAsync(id, ct) is not { } job)
            return NoJob(id);
        if (RenderFiles.TryTimeline(job) is not { } timeline || !timeline.Paths().Contains(path!, StringComparer.Ordinal))
            return TypedResults.Problem(statusCode: 403, title: "Not an input of this job", detail: $"Render job {id} does not refer to {path}.");
        var full = files.Full(path!);
        if (!File.Exists(full))
            return TypedResults.Problem(statusCode: 404, title: "Input missing", detail: $"{path} is not on the server (deleted or never downloaded).");
        var info = new FileInfo(full);
        var tag = new EntityTagHeaderValue($"\"{info.Length:x}-{info.LastWriteTimeUtc.Ticks:x}\"");
        var type = ContentTypes.TryGetContentType(full, out var t) ? t : "application/octet-stream";
        return TypedResults.PhysicalFile(full, type, lastModified: info.LastWriteTimeUtc, entityTag: tag, enableRangeProcessing: true);
    }

    public static async Task<Results<Ok<CompletionResponse>, ProblemHttpResult>> CompleteAsync(
        long id, LeaseHeldRequest request, IRenderJobStore jobs, IClipStore clips, RenderFiles files, ILoggerFactory loggers, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(request.LeaseId))
            return NeedLease();
        if (await jobs.GetAsync(id, ct) is not { } job)
            return NoJob(id);
        if (job.IsFinished && string.Equals(job.LeaseId, request.LeaseId, StringComparison.Ordinal))
            return TypedResults.Ok(Answer(job));
        if (!Held(job, request.LeaseId))
            return LeaseLost(id);
        var stagedVideo = files.Staged(id, request.LeaseId, GeneratorRoutes.OutputVideo);
        var stagedCredits = files.Staged(id, request.LeaseId, GeneratorRoutes.OutputCredits);
        var stagedThumbnail = files.Staged(id, request.LeaseId, GeneratorRoutes.OutputThumbnail);
        if (!File.Exists(stagedVideo))
            return TypedResults.Problem(statusCode: 400, title: "Upload the video first", detail: $"PUT {GeneratorRoutes.Output(id, GeneratorRoutes.OutputVideo, "…")} before completing.");

        var timeline = RenderFiles.TryTimeline(job);
        var (video, credits) = RenderFiles.FinalPaths(id, timeline?.Name ?? "render");
        var hasCredits = File.Exists(stagedCredits);
        var thumbnail = RenderFiles.ThumbnailPath(id, timeline?.Name ?? "render");
        var hasThumbnail = File.Exists(stagedThumbnail);
        var result = await jobs.CompleteAsync(id, request.LeaseId,
            RenderOutcome.Success(video, hasCredits ? credits : null, hasThumbnail ? thumbnail : null), ct);
        switch (result)
        {
            case CompleteResult.Completed:
                File.Move(stagedVideo, files.Full(video), overwrite: true);
                if (hasCredits)
                    File.Move(stagedCredits, files.Full(credits), overwrite: true);
                if (hasThumbnail)
                    File.Move(stagedThumbnail, files.Full(thumbnail), overwrite: true);
                await MarkClipsUsedAsync(clips, timeline?.ClipIds ?? [], loggers.CreateLogger(typeof(GeneratorApi)), ct);
                break;
            case CompleteResult.LeaseLost:
                RenderFiles.TryDelete(stagedVideo);
                RenderFiles.TryDelete(stagedCredits);
                RenderFiles.TryDelete(stagedThumbnail);
                return LeaseLost(id);
        }

        return TypedResults.Ok(Answer((await jobs.GetAsync(id, ct))!));
    }

    public static async Task<Results<Ok<CompletionResponse>, ProblemHttpResult>> FailAsync(
        long id, FailRequest request, IRenderJobStore jobs, RenderFiles files, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(request.LeaseId))
            return NeedLease();
        if (await jobs.GetAsync(id, ct) is not { } job)
            return NoJob(id);
        if (job.IsFinished && string.Equals(job.LeaseId, request.LeaseId, StringComparison.Ordinal))
            return TypedResults.Ok(Answer(job));
        if (!Held(job, request.LeaseId))
            return LeaseLost(id);
        var error = string.IsNullOrWhiteSpace(request.Error) ? "The generator gave up without saying why." : request.Error.Trim();
        var result = await jobs.CompleteAsync(id, request.LeaseId, RenderOutcome.Failure(error[..Math.Min(4000, error.Length)]), ct);
        RenderFiles.TryDelete(files.Staged(id, request.LeaseId, GeneratorRoutes.OutputVideo));
        RenderFiles.TryDelete(files.Staged(id, request.LeaseId, GeneratorRoutes.OutputCredits));
        RenderFiles.TryDelete(files.Staged(id, request.LeaseId, GeneratorRoutes.OutputThumbnail));
        return result == CompleteResult.LeaseLost ? LeaseLost(id) : TypedResults.Ok(Answer((await jobs.GetAsync(id, ct))!));
    }

    /// <summary>After a successful render the timeline's clips become Used; clips already moved on are left alone.</summary>
    private static async Task MarkClipsUsedAsync(IClipStore clips, IEnumerable<long> ids, ILogger logger, CancellationToken ct)
    {
        foreach (var clipId in ids.Distinct())
        {
            try
            {
                await clips.MoveAsync(clipId, ClipStatus.Used, ct);
            }
            catch (Exception ex) when (ex is IllegalClipTransitionException or NotFoundInStoreException)
            {
                LogClipNotMoved(logger, clipId, ex.Message);
            }
        }
    }

    [LoggerMessage(LogLevel.Error, "Render job {Job} has a timeline that is not valid JSON; marked failed")]
    private static partial void LogBadTimeline(ILogger logger, long job);

    [LoggerMessage(LogLevel.Information, "Clip {Clip} not marked used: {Reason}")]
    private static partial void LogClipNotMoved(ILogger logger, long clip, string reason);
}
