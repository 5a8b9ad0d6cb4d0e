using System.Globalization;
using Tccg.Core.Compilations;
using Tccg.Server.Application;
using Tccg.Server.Features.Compilations;
using Tccg.Storage.Clips;

namespace Tccg.Server.Components;

/// <summary>A clip as the review player needs it (serialized to the JS module in camelCase).</summary>
public sealed record ReviewClip(long Id, string Src, string Streamer, string Title, int Views, string Date, double Duration);

/// <summary>
/// One review page's state: which clips were handed to the browser, and the decisions coming back, applied one at a
/// time in the order they arrive (the browser does not wait for them) through <see cref="CompilationService"/>.
/// </summary>
public sealed class ReviewSession(CompilationService compilations) : IDisposable
{
    private const int Batch = 8;
    private readonly HashSet<long> _sent = [];
    private readonly SemaphoreSlim _gate = new(1, 1);

    public CompilationView? Compilation { get; private set; }

    /// <summary>Opens the compilation for review; a rule that refuses (not found, no game …) is thrown.</summary>
    public async Task OpenAsync(CurrentUser caller, long compilationId, CancellationToken ct)
    {
        var compilation = await compilations.GetAsync(caller, compilationId, ct);
        if (string.IsNullOrEmpty(compilation.GameId) && string.IsNullOrEmpty(compilation.ChannelId))
            throw RuleException.Conflict("This compilation has no game or channel, so there are no clips to review for it.");
        Compilation = compilation;
    }

    /// <summary>The next undecided clips not yet handed out; <c>exhausted</c> when the game has no more.</summary>
    public async Task<(List<ReviewClip> Clips, bool Exhausted)> NextAsync(CurrentUser caller, CancellationToken ct)
    {
        var compilation = Compilation ?? throw new InvalidOperationException("Open a compilation first.");
        var wanted = Math.Min(CompilationService.MaxNext, _sent.Count + Batch);
        var next = await compilations.NextAsync(caller, compilation.Id, wanted, ct);
        var unsent = next.Where(c => !_sent.Contains(c.Id)).ToList();
        var fresh = unsent.Take(Batch).ToList();
        foreach (var clip in fresh)
            _sent.Add(clip.Id);
        // Exhausted only when the store had fewer than asked for AND everything it had is now handed out.
        return ([.. fresh.Select(ToReviewClip)], next.Count < wanted && unsent.Count <= Batch);
    }

    /// <summary>How many clips the timeline holds and their trimmed length in seconds (the one estimate, without assets).</summary>
    public async Task<(int Kept, double Seconds)> KeptAsync(CurrentUser caller, CancellationToken ct)
    {
        var view = await compilations.GetAsync(caller, Compilation!.Id, ct);
        var seconds = EditorLimits.EstimateSeconds(view.Items.Select(i => (i.Clip?.MediaDuration ?? i.Clip?.Duration ?? 0, i.TrimStart, i.TrimEnd)));
        return (view.Items.Length, seconds);
    }

    public async Task DecideAsync(CurrentUser caller, long clipId, bool keep, double? trimIn, double? trimOut, double volume, CancellationToken ct)
    {
        var compilation = Compilation ?? throw new InvalidOperationException("Open a compilation first.");
        if (!_sent.Contains(clipId))
            throw RuleException.Invalid("clipId", "that clip was not offered for review here");
        await _gate.WaitAsync(ct);
        try
        {
            await compilations.ReviewAsync(caller, compilation.Id, new ReviewRequest(clipId, keep ? "keep" : "skip", trimIn, trimOut, volume), ct);
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task UndoAsync(CurrentUser caller, long clipId, CancellationToken ct)
    {
        var compilation = Compilation ?? throw new InvalidOperationException("Open a compilation first.");
        await _gate.WaitAsync(ct);
        try
        {
            await compilations.ReviewAsync(caller, compilation.Id, new ReviewRequest(clipId, "undo"), ct);
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
