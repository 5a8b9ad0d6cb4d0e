using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Tccg.Storage.Accounts;

namespace Tccg.Server.Features.Auth;

/// <summary>
/// How hard repeated wrong passwords are slowed. Failures are counted per (typed name, source address) and per
/// source address; past the free allowance every further failure refuses that key for a delay that doubles from
/// <see cref="FirstDelay"/> up to the cap. Nothing is ever locked for everyone: another address is not affected.
/// </summary>
public sealed record LoginThrottlePolicy(
    int FreeFailuresPerAccount,
    int FreeFailuresPerSource,
    TimeSpan FirstDelay,
    TimeSpan MaxDelayPerAccount,
    TimeSpan MaxDelayPerSource,
    TimeSpan ForgetAfter)
{
    public static readonly LoginThrottlePolicy Default = new(
        FreeFailuresPerAccount: 5,
        FreeFailuresPerSource: 20,
        FirstDelay: TimeSpan.FromSeconds(1),
        MaxDelayPerAccount: TimeSpan.FromMinutes(5),
        MaxDelayPerSource: TimeSpan.FromMinutes(5),
        ForgetAfter: TimeSpan.FromHours(1));

    /// <summary>The refusal after the <paramref name="failures"/>-th failure: none within the allowance, then 1 s, 2 s, 4 s … up to the cap.</summary>
    public static TimeSpan DelayAfter(int failures, int free, TimeSpan first, TimeSpan max)
    {
        if (failures <= free)
            return TimeSpan.Zero;
        var doublings = Math.Min(failures - free - 1, 30);
        var delay = first * Math.Pow(2, doublings);
        return delay > max ? max : delay;
    }
}

public enum LoginStatus
{
    Ok,

    /// <summary>Wrong name or password: the same answer for a known and an unknown name.</summary>
    Wrong,

    /// <summary>Too many recent failures from this source (for this name, or overall): try again after <see cref="LoginAttempt.RetryAfter"/>.</summary>
    Throttled,
}

public sealed record LoginAttempt(LoginStatus Status, User? User, TimeSpan RetryAfter);

/// <summary>
/// Password login for every front end (the API and the login form): checks the name and password and throttles
/// repeated failures without letting strangers lock anybody out. Throttled attempts are refused before the
/// password is checked, with the same answer whether the name exists or not.
/// </summary>
public sealed class LoginService(
    IUserStore users, ILoginFailureStore failures, TimeProvider time, ILogger<LoginService> logger, LoginThrottlePolicy? policy = null)
{
    private readonly LoginThrottlePolicy policy = policy ?? LoginThrottlePolicy.Default;
    private long nextPruneTicks;

    public async Task<LoginAttempt> LoginAsync(string name, string password, IPAddress? source, CancellationToken ct)
    {
        var sourceKey = Key("source", SourceOf(source));
        var pairKey = Key("account", name + "\n" + SourceOf(source));
        var now = time.GetUtcNow();
        if (await failures.BlockedUntilAsync([pairKey, sourceKey], now, ct) is { } until)
            return new LoginAttempt(LoginStatus.Throttled, null, until - now);

        var outcome = await users.VerifyAsync(name, password, ct);
        if (outcome.Succeeded)
        {
            await failures.ClearAsync(pairKey, ct);
            return new LoginAttempt(LoginStatus.Ok, outcome.User, TimeSpan.Zero);
        }

        now = time.GetUtcNow();
        var forPair = await failures.RecordFailureAsync(pairKey, now, policy.ForgetAfter, ct);
        var forSource = await failures.RecordFailureAsync(sourceKey, now, policy.ForgetAfter, ct);
        var pairDelay = LoginThrottlePolicy.DelayAfter(forPair, policy.FreeFailuresPerAccount, policy.FirstDelay, policy.MaxDelayPerAccount);
        var sourceDelay = LoginThrottlePolicy.DelayAfter(forSource, policy.FreeFailuresPerSource, policy.FirstDelay, policy.MaxDelayPerSource);
        if (pairDelay > TimeSpan.Zero)
            await failures.BlockAsync(pairKey, now + pairDelay, ct);
        if (sourceDelay > TimeSpan.Zero)
            await failures.BlockAsync(sourceKey, now + sourceDelay, ct);
        if ((pairDelay > TimeSpan.Zero || sourceDelay > TimeSpan.Zero) && logger.IsEnabled(LogLevel.Warning))
        {
            logger.LogWarning("Repeated failed logins from {Source}: {PairFailures} for this name, {SourceFailures} in all; refusing for {Seconds} s",
                SourceOf(source), forPair, forSource, Math.Max(pairDelay.TotalSeconds, sourceDelay.TotalSeconds));
        }
        await PruneNowAndThenAsync(now, ct);
        return new LoginAttempt(LoginStatus.Wrong, null, TimeSpan.Zero);
    }

    /// <summary>Whole seconds for a Retry-After header (at least 1).</summary>
    public static int RetryAfterSeconds(TimeSpan wait) => Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));

    /// <summary>
    /// The address failures are counted under: IPv4 as is (IPv4-mapped IPv6 too), IPv6 by its /64 network, which
    /// one subscriber usually holds whole.
    /// </summary>
    internal static string SourceOf(IPAddress? address)
    {
        if (address is null)
            return "unknown";
        if (address.IsIPv4MappedToIPv6)
            address = address.MapToIPv4();
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
            return address.ToString();
        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }

    private static string Key(string scope, string value) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(scope + "\n" + value)));

    private async Task PruneNowAndThenAsync(DateTimeOffset now, CancellationToken ct)
    {
        var ticks = now.UtcTicks;
        var next = Interlocked.Read(ref nextPruneTicks);
        if (ticks < next || Interlocked.CompareExchange(ref nextPruneTicks, ticks + TimeSpan.TicksPerMinute * 10, next) != next)
            return;
        await failures.PruneAsync(now - policy.ForgetAfter, ct);
    }
}
