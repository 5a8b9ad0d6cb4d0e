using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace Tccg.TwitchSim.Hosting;

/// <summary>What a user token (or code, or refresh token) stands for.</summary>
internal sealed record UserGrant(string ClientId, string UserId, IReadOnlyList<string> Scopes, string RedirectUri, DateTimeOffset ExpiresAt);

/// <summary>
/// The authorization-code flow's codes, user access tokens and refresh tokens, plus who edits which channel.
/// Codes live 10 minutes and are single-use; access tokens expire; refresh tokens do not.
/// </summary>
internal sealed class UserTokenStore(TimeProvider time)
{
    private readonly ConcurrentDictionary<string, UserGrant> _codes = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, UserGrant> _access = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, UserGrant> _refresh = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, byte>> _editors = new(StringComparer.Ordinal);

    /// <summary>The user who approves at <c>/oauth2/authorize</c> (the simulator's "logged-in" browser); null: the first broadcaster.</summary>
    public volatile string? AuthorizingUserId;

    public string IssueCode(UserGrant grant)
    {
        var code = Random(30);
        _codes[code] = grant with { ExpiresAt = time.GetUtcNow().AddMinutes(10) };
        return code;
    }

    /// <summary>Takes a code (once). Null when unknown, used or expired.</summary>
    public UserGrant? RedeemCode(string code) =>
        _codes.TryRemove(code, out var grant) && grant.ExpiresAt > time.GetUtcNow() ? grant : null;

    public (string Access, string Refresh) IssueTokens(UserGrant grant, TimeSpan lifetime, string? refresh = null)
    {
        var access = Random(30);
        _access[access] = grant with { ExpiresAt = time.GetUtcNow() + lifetime };
        refresh ??= Random(50);
        _refresh[refresh] = grant with { ExpiresAt = DateTimeOffset.MaxValue };
        return (access, refresh);
    }

    public UserGrant? Refresh(string refreshToken) => _refresh.GetValueOrDefault(refreshToken);

    /// <summary>A valid user access token's grant, or null.</summary>
    public UserGrant? Validate(string token) =>
        _access.TryGetValue(token, out var grant) && grant.ExpiresAt > time.GetUtcNow() ? grant : null;

    public void ExpireAll()
    {
        var past = time.GetUtcNow().AddSeconds(-1);
        foreach (var key in _access.Keys)
            _access[key] = _access[key] with { ExpiresAt = past };
    }

    public void RevokeRefreshTokens() => _refresh.Clear();

    public void SetEditors(string broadcasterId, IEnumerable<string> editorIds) =>
        _editors[broadcasterId] = new ConcurrentDictionary<string, byte>(editorIds.Select(id => KeyValuePair.Create(id, (byte)0)), StringComparer.Ordinal);

    /// <summary>A broadcaster edits its own channel; others only when listed with <see cref="SetEditors"/>.</summary>
    public bool MayEdit(string userId, string broadcasterId) =>
        userId == broadcasterId || (_editors.TryGetValue(broadcasterId, out var editors) && editors.ContainsKey(userId));

    private static string Random(int length) => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(length))[..length];
}
