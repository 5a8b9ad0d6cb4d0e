using System.Globalization;
using Tccg.Storage.Clips;
using Tccg.Storage.Compilations;

namespace Tccg.Server.Components;

/// <summary>A clip as the review player needs it (serialized to the JS module in camelCase).</summary>
public sealed record ReviewClip(long Id, string Src, string Streamer, string Title, int Views, string Date, double Duration);

/// <summary>
/// One review page's conversation with the stores: which clips were handed to the browser, and the decisions coming back.
/// Decisions are applied one at a time in the order they arrive (the browser does not wait for them).
/// </summary>
public sealed class ReviewSession(IClipStore clips, ICompilationStore compilations, Tccg.Server.Features.Compilations.CompilationWorkspace workspace) : IDisposable
{
    private const int Batch = 8;
    private readonly HashSet<long> _sent = [];
    private readonly SemaphoreSlim _gate = new(1, 1);
    private EditorUser _user = new(null, "", false);

    public Compilation? Compilation { get; private set; }

    /// <summary>Loads the compilation; returns a message in words when the user may not review it.</summary>
    public async Task<string?> OpenAsync(long compilationId, EditorUser user, CancellationToken ct)
    {
        _user = user;
        var compilation = await compilations.GetAsync(compilationId, ct);
        if (compilation is null || !user.CanSee(compilation))
            return $"There is no compilation {compilationId.ToString(CultureInfo.InvariantCulture)} you can review.";
        if (compilation.ReviewScope is null)
            return "This compilation has no game or channel, so there are no clips to review for it.";
        Compilation = compilation;
        return null;
    }

    /// <summary>The next undecided clips not yet handed out; <c>exhausted</c> when the game has no more.</summary>
    public async Task<(List<ReviewClip> Clips, bool Exhausted)> NextAsync(CancellationToken ct)
    {
        var compilation = Compilation ?? throw new InvalidOperationException("Open a compilation first.");
        var wanted = Math.Min(1000, _sent.Count + Batch);
        var next = await clips.NextToReviewAsync(compilation.ReviewScope!.Value, compilation.Id, wanted, ct);
        var unsent = next.Where(c => !_sent.Contains(c.Id)).ToList();
        var fresh = unsent.Take(Batch).ToList();
        foreach (var clip in fresh)
            _sent.Add(clip.Id);
        // Exhausted only when the store had fewer than asked for AND everything it had is now handed out.
        return ([.. fresh.Select(ToReviewClip)], next.Count < wanted && unsent.Count <= Batch);
    }

    /// <summary>How many clips the timeline holds and their trimmed length in seconds.</summary>
    public async Task<(int Kept, double Seconds)> KeptAsync(CancellationToken ct)
    {
        var items = await compilations.GetItemsAsync(Compilation!.Id, ct);
        var seconds = 0.0;
        foreach (var item in items)
        {
            var clip = await clips.GetAsync(item.ClipId, ct);
            var duration = clip?.MediaDuration ?? clip?.Duration ?? 0;
            seconds += Math.Max(0, (item.TrimEnd ?? duration) - (item.TrimStart ?? 0));
        }
        return (items.Count, seconds);
    }

    public async Task DecideAsync(long clipId, bool keep, double? trimIn, double? trimOut, double volume, CancellationToken ct)
    {
        var compilation = Compilation ?? throw new InvalidOperationException("Open a compilation first.");
        if (!_sent.Contains(clipId))
            throw new InvalidOperationException("That clip was not offered for review here.");
        volume = Math.Clamp(volume, 0, 2);
        await _gate.WaitAsync(ct);
        try
        {
            using var held = await workspace.LockAsync(compilation.Id, ct);
            await compilations.DecideAsync(compilation.Id, clipId, _user.Id, keep ? ReviewDecision.Keep : ReviewDecision.Skip, ct);
            var items = (await compilations.GetItemsAsync(compilation.Id, ct)).ToList();
            var removed = items.RemoveAll(i => i.ClipId == clipId);
            if (keep)
                items.Add(new CompilationItem(clipId, trimIn, trimOut, volume));
            if (keep || removed > 0)
                await compilations.SetItemsAsync(compilation.Id, items, ct);
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task UndoAsync(long clipId, CancellationToken ct)
    {
        var compilation = Compilation ?? throw new InvalidOperationException("Open a compilation first.");
        await _gate.WaitAsync(ct);
        try
        {
            using var held = await workspace.LockAsync(compilation.Id, ct);
            await compilations.UndecideAsync(compilation.Id, clipId, ct);
            var items = (await compilations.GetItemsAsync(compilation.Id, ct)).ToList();
            if (items.RemoveAll(i => i.ClipId == clipId) > 0)
                await compilations.SetItemsAsync(compilation.Id, items, ct);
        }
        finally
        {
            _gate.Release();
        }
    }

    private static ReviewClip ToReviewClip(ClipRecord c) => new(
        c.Id,
        $"/api/v1/clips/{c.Id}/media",
        string.IsNullOrEmpty(c.BroadcasterLogin) || string.Equals(c.BroadcasterLogin, c.BroadcasterName, StringComparison.OrdinalIgnoreCase)
            ? c.BroadcasterName
            : $"{c.BroadcasterName} ({c.BroadcasterLogin})",
        c.Title,
        c.ViewCount,
        c.CreatedAt.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        c.MediaDuration ?? c.Duration);

    public void Dispose() => _gate.Dispose();
}
