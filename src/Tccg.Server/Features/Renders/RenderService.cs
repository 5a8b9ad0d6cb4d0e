using System.Globalization;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Tccg.Server.Application;
using Tccg.Storage.Compilations;
using Tccg.Storage.Renders;

namespace Tccg.Server.Features.Renders;

/// <summary>
/// Renders as users see them: their own (admins: everyone's); status, files, description text, cancel, re-render,
/// delete, and live updates. Others' renders read as missing.
/// </summary>
public sealed class RenderService(IRenderJobStore jobs, ICompilationStore compilations, RenderFiles files, RenderProgressNotifier notifier,
    IRenderBatchStore batches, RenderPosters posters, ApiLinks links)
{
    /// <summary>The caller's renders, newest first (admins: everyone's), at most <paramref name="limit"/>.</summary>
    public async Task<IReadOnlyList<RenderJob>> ListAsync(CurrentUser caller, long? compilationId, int limit, CancellationToken ct)
    {
        caller.RequireEditor();
        var all = await jobs.ListAsync(compilationId, caller.IsAdmin ? null : caller.Id ?? -1, limit, ct);
        return [.. all.Where(j => CanSee(caller, j)).OrderByDescending(j => j.Id)];
    }

    public async Task<IReadOnlyList<RenderView>> ViewsAsync(CurrentUser caller, long? compilationId, CancellationToken ct, long? batchId = null)
    {
        var views = new List<RenderView>();
        foreach (var job in (await ListAsync(caller, compilationId, 500, ct)).Where(j => batchId is null || j.BatchId == batchId))
            views.Add(await RenderViews.ViewAsync(job, files, links, withDuration: false, ct));
        return views;
    }

    public async Task<RenderJob> GetAsync(CurrentUser caller, long id, CancellationToken ct)
    {
        caller.RequireEditor();
        return await jobs.GetAsync(id, ct) is { } job && CanSee(caller, job) ? job : throw NotFound(id);
    }

    public async Task<RenderView> ViewAsync(CurrentUser caller, long id, CancellationToken ct) =>
        await RenderViews.ViewAsync(await GetAsync(caller, id, ct), files, links, withDuration: true, ct, posters);

    /// <summary>What the Renders page's card shows of each render: its view with duration, resolution, sizes and poster URL.</summary>
    public async Task<IReadOnlyList<RenderView>> CardsAsync(CurrentUser caller, IEnumerable<RenderJob> visible, CancellationToken ct)
    {
        caller.RequireEditor();
        var views = new List<RenderView>();
        foreach (var job in visible.Where(j => CanSee(caller, j)))
            views.Add(await RenderViews.ViewAsync(job, files, links, withDuration: true, ct, posters));
        return views;
    }

    /// <summary>The poster frame (JPEG) of a finished render, made on first request; 404 when the render has no video.</summary>
    public async Task<string> PosterAsync(CurrentUser caller, long id, CancellationToken ct)
    {
        var (_, video) = await VideoAsync(caller, id, ct);
        try
        {
            return await posters.PosterAsync(video, ct);
        }
        catch (Tccg.Media.Processes.MediaToolException e)
        {
            throw new RuleException(500, $"Render {Id(id)} has no poster frame.", e.Message);
        }
    }

    /// <summary>The names of the compilations these renders came from ("(deleted)" when gone).</summary>
    public async Task<IReadOnlyDictionary<long, string>> CompilationNamesAsync(CurrentUser caller, IEnumerable<RenderJob> visible, CancellationToken ct)
    {
        caller.RequireEditor();
        var names = new Dictionary<long, string>();
        foreach (var id in visible.Where(j => j.CompilationId is not null).Select(j => j.CompilationId!.Value).Distinct())
            names[id] = (await compilations.GetAsync(id, ct))?.Name ?? "(deleted)";
        return names;
    }

    /// <summary>The names of the batches ("Render each clip as a short") these renders belong to.</summary>
    public async Task<IReadOnlyDictionary<long, string>> BatchNamesAsync(CurrentUser caller, IEnumerable<RenderJob> visible, CancellationToken ct)
    {
        caller.RequireEditor();
        var ids = visible.Where(j => j.BatchId is not null).Select(j => j.BatchId!.Value).Distinct().ToList();
        var found = await batches.GetManyAsync(ids, ct);
        return ids.ToDictionary(id => id, id => found.TryGetValue(id, out var b) ? b.Name : "(batch " + Id(id) + ")");
    }

    /// <summary>The finished MP4's full path; 404 with the reason when there is none.</summary>
    public async Task<(RenderJob Job, string Path)> VideoAsync(CurrentUser caller, long id, CancellationToken ct)
    {
        var job = await GetAsync(caller, id, ct);
        if (job.Status != RenderJobStatus.Succeeded || files.Existing(job.OutputPath) is not { } video)
            throw new RuleException(404, $"Render {Id(id)} has no video.", $"It is {RenderViews.StatusName(job.Status)}.");
        return (job, video);
    }

    /// <summary>The credits and chapters text's full path; 404 with the reason when there is none.</summary>
    public async Task<(RenderJob Job, string Path)> CreditsAsync(CurrentUser caller, long id, CancellationToken ct)
    {
        var job = await GetAsync(caller, id, ct);
        if (job.Status != RenderJobStatus.Succeeded || files.Existing(job.CreditsPath) is not { } credits)
            throw new RuleException(404, $"Render {Id(id)} has no credits.", $"It is {RenderViews.StatusName(job.Status)}.");
        return (job, credits);
    }

    /// <summary>The upload thumbnail's full path; 404 with the reason when there is none.</summary>
    public async Task<(RenderJob Job, string Path)> ThumbnailAsync(CurrentUser caller, long id, CancellationToken ct)
    {
        var job = await GetAsync(caller, id, ct);
        if (job.Status != RenderJobStatus.Succeeded || files.Existing(job.ThumbnailPath) is not { } thumbnail)
            throw new RuleException(404, $"Render {Id(id)} has no thumbnail.", $"It is {RenderViews.StatusName(job.Status)}.");
        return (job, thumbnail);
    }

    /// <summary>The description text (credits and chapters), or null when the render has none yet.</summary>
    public async Task<string?> DescriptionAsync(CurrentUser caller, long id, CancellationToken ct)
    {
        var job = await GetAsync(caller, id, ct);
        return files.Existing(job.CreditsPath) is { } credits ? await File.ReadAllTextAsync(credits, ct) : null;
    }

    public async Task DeleteAsync(CurrentUser caller, long id, CancellationToken ct)
    {
        var job = await GetAsync(caller, id, ct);
        if (!job.IsFinished)
            throw RuleException.Conflict($"Render {Id(id)} is still {RenderViews.StatusName(job.Status)}.", "Cancel it first.");
        if (!await jobs.DeleteAsync(id, ct))
            throw RuleException.Conflict($"Render {Id(id)} changed meanwhile; try again.");
        if (files.Existing(job.OutputPath) is { } video)
            RenderFiles.TryDelete(RenderPosters.PosterPath(video));
        RenderFiles.TryDelete(files.Existing(job.OutputPath));
        RenderFiles.TryDelete(files.Existing(job.CreditsPath));
        RenderFiles.TryDelete(files.Existing(job.ThumbnailPath));
    }

    /// <summary>Queues the same frozen timeline again, owned by the original owner (or the caller when it has none).</summary>
    public async Task<RenderJob> RerenderAsync(CurrentUser caller, long id, CancellationToken ct)
    {
        var job = await GetAsync(caller, id, ct);
        if (RenderFiles.TryTimeline(job) is null)
            throw RuleException.Conflict($"Render {Id(id)} has no usable timeline to render again.");
        return await jobs.EnqueueAsync(job.CompilationId, job.OwnerId ?? caller.Id, job.TimelineJson, job.BatchId, ct);
    }

    public async Task<RenderJob> CancelAsync(CurrentUser caller, long id, CancellationToken ct)
    {
        await GetAsync(caller, id, ct);
        if (!await jobs.CancelAsync(id, ct))
            throw RuleException.Conflict($"Render {Id(id)} has already finished.");
        return await jobs.GetAsync(id, ct) ?? throw NotFound(id);
    }

    /// <summary>Every progress, completion, failure or cancel the server sees (the page filters to what it shows).</summary>
    public IDisposable Subscribe(CurrentUser caller, Action<RenderJobUpdate> onUpdate)
    {
        caller.RequireEditor();
        return notifier.Subscribe(onUpdate);
    }

    /// <summary>The current state, then every update until the render finishes (the store is re-read every few seconds as well).</summary>
    public async IAsyncEnumerable<RenderJobUpdate> UpdatesAsync(
        CurrentUser caller, long id, CancellationToken stopping, [EnumeratorCancellation] CancellationToken requestAborted)
    {
        await GetAsync(caller, id, requestAborted);
        // The stream also ends when the server stops, so open streams do not hold up its shutdown.
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(requestAborted, stopping);
        var ct = linked.Token;
        var channel = Channel.CreateBounded<RenderJobUpdate>(new BoundedChannelOptions(64) { FullMode = BoundedChannelFullMode.DropOldest });
        using var subscription = notifier.Subscribe(u =>
        {
            if (u.JobId == id)
                channel.Writer.TryWrite(u);
        });
        var update = await CurrentAsync(id, ct);
        while (true)
        {
            yield return update;
            if (update.IsFinished || ct.IsCancellationRequested)
                yield break;
            update = await NextAsync(id, channel.Reader, ct);
        }
    }

    private async Task<RenderJobUpdate> CurrentAsync(long id, CancellationToken ct) =>
        await jobs.GetAsync(id, ct) is { } job
            ? NotifyingRenderJobStore.Update(job)
            : new RenderJobUpdate(id, "deleted", null, null, null, null);

    private async Task<RenderJobUpdate> NextAsync(long id, ChannelReader<RenderJobUpdate> reader, CancellationToken ct)
    {
        using var poll = CancellationTokenSource.CreateLinkedTokenSource(ct);
        poll.CancelAfter(TimeSpan.FromSeconds(5));
        try
        {
            return await reader.ReadAsync(poll.Token);
        }
        catch (OperationCanceledException)
        {
            return await CurrentAsync(id, CancellationToken.None);
        }
    }

    public static bool CanSee(CurrentUser caller, RenderJob job) => caller.OwnsOrAdmin(job.OwnerId);

    private static RuleException NotFound(long id) => RuleException.NotFound($"No render {Id(id)}.");

    private static string Id(long id) => id.ToString(CultureInfo.InvariantCulture);
}
