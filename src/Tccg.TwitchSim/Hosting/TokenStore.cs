using System.Collections.Concurrent;

namespace Tccg.TwitchSim.Hosting;

/// <summary>App access tokens issued by the simulated <c>/oauth2/token</c>.</summary>
internal sealed class TokenStore(TimeProvider time)
{
    private const string Alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
    private readonly ConcurrentDictionary<string, Entry> _tokens = new(StringComparer.Ordinal);

    public (string Token, TimeSpan ExpiresIn) Issue(string clientId, TimeSpan lifetime)
    {
        var token = string.Create(30, 0, static (span, _) =>
        {
            for (var i = 0; i < span.Length; i++)
                span[i] = Alphabet[Random.Shared.Next(Alphabet.Length)];
        });
        _tokens[token] = new Entry(clientId, time.GetUtcNow() + lifetime);
        return (token, lifetime);
    }

    /// <summary>The client id the token belongs to, or null when unknown or expired.</summary>
    public string? Validate(string token, out TimeSpan remaining)
    {
        remaining = TimeSpan.Zero;
        if (!_tokens.TryGetValue(token, out var entry))
            return null;
        remaining = entry.ExpiresAt - time.GetUtcNow();
        return remaining > TimeSpan.Zero ? entry.ClientId : null;
    }

    /// <summary>Expires every token issued so far (the next Helix call with one gets 401).</summary>
    public void ExpireAll()
    {
        var past = time.GetUtcNow().AddSeconds(-1);
        foreach (var key in _tokens.Keys)
            _tokens[key] = _tokens[key] with { ExpiresAt = past };
    }

    public bool Expire(string token)
    {
        if (!_tokens.TryGetValue(token, out var entry))
            return false;
        _tokens[token] = entry with { ExpiresAt = time.GetUtcNow().AddSeconds(-1) };
        return true;
    }

    private sealed record Entry(string ClientId, DateTimeOffset ExpiresAt);
}
