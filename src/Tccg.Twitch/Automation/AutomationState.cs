using System.Collections.Concurrent;

namespace Tccg.Twitch.Automation;

/// <summary>What the automation is doing for one game.</summary>
public enum AutomationPhase
{
    Idle,
    Finding,
    Downloading,
    /// <summary>Stopped by a problem that needs a person (e.g. a rotated clip access hash); see LastError.</summary>
    Blocked,
}

/// <summary>One game's automation status as the dashboard shows it.</summary>
public sealed record GameAutomationStatus(
    string GameId,
    string GameName,
    AutomationPhase Phase,
    DateTimeOffset? LastRun,
    DateTimeOffset? NextRun,
    string? LastError,
    int LastFound,
    int LastDownloaded,
    int Downloaded,
    int Target,
    string? Detail);

/// <summary>
/// The automation's live state, a singleton the server API and UI read. <see cref="Subscribe"/> hands out a
/// disposable subscription that is called after every change (eShop's notification-service pattern).
/// </summary>
public sealed class AutomationState
{
    private readonly ConcurrentDictionary<string, GameAutomationStatus> _games = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private ImmutableSubscribers _subscribers = new([]);

    /// <summary>Every game's status, by name.</summary>
    public IReadOnlyList<GameAutomationStatus> Games =>
        _games.Values.OrderBy(g => g.GameName, StringComparer.OrdinalIgnoreCase).ToList();

    /// <summary>True while a tick is running.</summary>
    public bool Running { get; private set; }

    public DateTimeOffset? LastTick { get; private set; }

    public GameAutomationStatus? Get(string gameId) => _games.GetValueOrDefault(gameId);

    public void Update(string gameId, Func<GameAutomationStatus?, GameAutomationStatus> change)
    {
        _games.AddOrUpdate(gameId, _ => change(null), (_, old) => change(old));
        Notify();
    }

    public void Remove(string gameId)
    {
        if (_games.TryRemove(gameId, out _))
            Notify();
    }

    internal void SetRunning(bool running, DateTimeOffset now)
    {
        Running = running;
        if (running)
            LastTick = now;
        Notify();
    }

    /// <summary>Calls <paramref name="onChange"/> after every change until the subscription is disposed.</summary>
    public IDisposable Subscribe(Action onChange)
    {
        lock (_gate)
            _subscribers = new([.. _subscribers.Items, onChange]);
        return new Subscription(this, onChange);
    }

    private void Notify()
    {
        foreach (var subscriber in _subscribers.Items)
        {
            try
            {
                subscriber();
            }
            catch (Exception)
            {
                // A broken listener must not stop the automation.
            }
        }
    }

    private sealed record ImmutableSubscribers(Action[] Items);

    private sealed class Subscription(AutomationState state, Action onChange) : IDisposable
    {
        public void Dispose()
        {
            lock (state._gate)
                state._subscribers = new([.. state._subscribers.Items.Where(s => s != onChange)]);
        }
    }
}
