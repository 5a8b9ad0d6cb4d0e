using System.Collections.Concurrent;
using Tccg.Storage.Accounts;

namespace Tccg.Server.Auth;

/// <summary>
/// The server's <see cref="IUserStore"/>: every request's session check looks its user up by id, so those lookups are
/// remembered for <see cref="Lifetime"/>. Any change made through this process (admin API, forms) forgets them at
/// once; a change made by another process (<c>tccg user remove</c>, <c>passwd</c> or <c>logout</c> while the server
/// runs, or another server on the same database) applies within <see cref="Lifetime"/>.
/// </summary>
internal sealed class CachedUserStore(IUserStore inner, TimeProvider time) : IUserStore
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(1);

    private readonly ConcurrentDictionary<long, (User? User, long Until)> _byId = new();

    /// <summary>Bumped by every change, so a lookup that raced a change is not remembered.</summary>
    private long _generation;

    public async Task<User?> GetAsync(long id, CancellationToken ct)
    {
        var now = time.GetTimestamp();
        if (_byId.TryGetValue(id, out var hit) && now < hit.Until)
            return hit.User;
        var generation = Volatile.Read(ref _generation);
        var user = await inner.GetAsync(id, ct);
        // A change that landed while we read must not be hidden behind the old answer.
        if (generation == Volatile.Read(ref _generation))
            _byId[id] = (user, now + (long)(Lifetime.TotalSeconds * time.TimestampFrequency));
        return user;
    }

    private T Forget<T>(T result)
    {
        Interlocked.Increment(ref _generation);
        _byId.Clear();
        return result;
    }

    public async Task<User> AddAsync(string name, string password, UserRole role, CancellationToken ct) =>
        Forget(await inner.AddAsync(name, password, role, ct));

    public async Task<bool> RemoveAsync(string name, CancellationToken ct) =>
        Forget(await inner.RemoveAsync(name, ct));

    public async Task<bool> SetPasswordAsync(string name, string password, CancellationToken ct) =>
        Forget(await inner.SetPasswordAsync(name, password, ct));

    public async Task<bool> SetRoleAsync(string name, UserRole role, CancellationToken ct) =>
        Forget(await inner.SetRoleAsync(name, role, ct));

    public Task<IReadOnlyList<User>> ListAsync(CancellationToken ct) => inner.ListAsync(ct);

    public Task<User?> GetByNameAsync(string name, CancellationToken ct) => inner.GetByNameAsync(name, ct);

    public async Task<bool> EndSessionsAsync(string name, CancellationToken ct) =>
        Forget(await inner.EndSessionsAsync(name, ct));

    public async Task<LoginOutcome> VerifyAsync(string name, string password, CancellationToken ct) =>
        Forget(await inner.VerifyAsync(name, password, ct));
}
