using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Tccg.Server.Features.Auth;
using Tccg.Storage.Accounts;

namespace Tccg.Server.Tests.Security;

/// <summary>
/// Probe finding 5: wrong passwords slow down the address that sends them, never the account for everyone, and
/// the answers do not tell known names from unknown ones. Each "address" is a real loopback source (127.0.x.y).
/// </summary>
public sealed class LoginThrottleTests
{
    private static Uri U(string path) => new(path, UriKind.Relative);

    private const string Password = "correct horse battery";

    private static Task<HttpResponseMessage> LoginAsync(HttpClient client, string name, string password) =>
        client.PostAsJsonAsync(U("/api/v1/auth/login"), new { name, password });

    /// <summary>Status, title and detail: what a caller can read (the trace id differs per request by design).</summary>
    private static async Task<string> AnswerAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        var detail = body.TryGetProperty("detail", out var d) ? d.GetString() : null;
        return $"{(int)response.StatusCode} {body.GetProperty("title").GetString()} {detail}";
    }

    [Fact]
    public async Task ManyWrongPasswords_FromOneAddress_DoNotLockTheRealUserOut()
    {
        await using var server = await TestServer.StartAsync();
        await server.AddUserAsync("quinn", Password, UserRole.Editor);
        using var attacker = server.ClientFrom(LoopbackSources.NewAddress());
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 12; i++)
            statuses.Add((await LoginAsync(attacker, "quinn", "guess " + i)).StatusCode);
        Assert.All(statuses, s => Assert.True(s is HttpStatusCode.Unauthorized or HttpStatusCode.TooManyRequests, s.ToString()));
        Assert.Contains(HttpStatusCode.TooManyRequests, statuses);

        using var realUser = server.ClientFrom(LoopbackSources.NewAddress());
        var response = await LoginAsync(realUser, "quinn", Password);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task KnownAndUnknownNames_GetTheSameAnswers_AndTakeAboutTheSameTime()
    {
        await using var server = await TestServer.StartAsync();
        await server.AddUserAsync("rosa", Password, UserRole.Editor);

        async Task<List<string>> AnswersUntilThrottledAsync(string name)
        {
            using var client = server.ClientFrom(LoopbackSources.NewAddress());
            var answers = new List<string>();
            for (var i = 0; i < LoginThrottlePolicy.Default.FreeFailuresPerAccount + 8; i++)
            {
                var response = await LoginAsync(client, name, "wrong " + i);
                answers.Add(await AnswerAsync(response));
                if (response.StatusCode == HttpStatusCode.TooManyRequests)
                {
                    Assert.NotNull(response.Headers.RetryAfter?.Delta);
                    break;
                }
            }
            return answers;
        }

        var known = await AnswersUntilThrottledAsync("rosa");
        var unknown = await AnswersUntilThrottledAsync("nobody-here");
        // Refusals start only past the free allowance, and then look the same for both names.
        Assert.All(known.Take(LoginThrottlePolicy.Default.FreeFailuresPerAccount), a => Assert.StartsWith("401 ", a, StringComparison.Ordinal));
        Assert.StartsWith("429 ", known[^1], StringComparison.Ordinal);
        Assert.StartsWith("429 ", unknown[^1], StringComparison.Ordinal);
        Assert.Equal(known.Where(a => a.StartsWith("401", StringComparison.Ordinal)).Distinct(),
            unknown.Where(a => a.StartsWith("401", StringComparison.Ordinal)).Distinct());
        Assert.Equal(Without(known[^1]), Without(unknown[^1]));

        // A wrong password costs a password hash; so does an unknown name (a dummy hash), so timing tells nothing.
        // The two are timed in turns (the order swapped each round), so a busy spell of the machine falls on both.
        var knownTimes = new List<double>();
        var unknownTimes = new List<double>();
        async Task TimeAsync(string name, List<double> times)
        {
            using var client = server.ClientFrom(LoopbackSources.NewAddress());
            var watch = Stopwatch.StartNew();
            Assert.Equal(HttpStatusCode.Unauthorized, (await LoginAsync(client, name, "wrong")).StatusCode);
            times.Add(watch.Elapsed.TotalMilliseconds);
        }
        for (var round = 0; round < 9; round++)
        {
            var (first, firstTimes, second, secondTimes) = round % 2 == 0
                ? ("rosa", knownTimes, "nobody-else", unknownTimes)
                : ("nobody-else", unknownTimes, "rosa", knownTimes);
            await TimeAsync(first, firstTimes);
            await TimeAsync(second, secondTimes);
        }
        var knownMs = knownTimes.Order().ElementAt(4);
        var unknownMs = unknownTimes.Order().ElementAt(4);
        Assert.True(unknownMs > knownMs * 0.4 && knownMs > unknownMs * 0.4, $"known {knownMs:F0} ms, unknown {unknownMs:F0} ms");
    }

    /// <summary>The number of seconds in "try again in N s" varies with timing; the rest must not.</summary>
    private static string Without(string answer) => System.Text.RegularExpressions.Regex.Replace(answer, "[0-9]+", "N");

    [Fact]
    public async Task AnAddressThatKeepsFailing_IsRefusedForGrowingTimes_EvenWithTheRightPassword()
    {
        await using var server = await TestServer.StartAsync();
        await server.AddUserAsync("sven", Password, UserRole.Editor);
        using var client = server.ClientFrom(LoopbackSources.NewAddress());
        var waits = new List<int>();
        var attempts = 0;
        while (waits.Count < 3 && attempts++ < 40)
        {
            var response = await LoginAsync(client, "sven", "guess " + attempts);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                var seconds = (int)response.Headers.RetryAfter!.Delta!.Value.TotalSeconds;
                waits.Add(seconds);
                if (waits.Count == 1)
                {
                    // While refused, even the right password is not checked.
                    Assert.Equal(HttpStatusCode.TooManyRequests, (await LoginAsync(client, "sven", Password)).StatusCode);
                }
                await Task.Delay(TimeSpan.FromSeconds(seconds) + TimeSpan.FromMilliseconds(150));
            }
            else
            {
                Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            }
        }
        Assert.Equal(3, waits.Count);
        Assert.True(waits[2] > waits[0] && waits[1] >= waits[0] && waits[2] >= waits[1], string.Join(", ", waits));
    }

    [Fact]
    public async Task AnAddressFailingAcrossManyAccounts_IsSlowedAsAWhole_OthersAreNot()
    {
        await using var server = await TestServer.StartAsync();
        await server.AddUserAsync("tove", Password, UserRole.Editor);
        using var sprayer = server.ClientFrom(LoopbackSources.NewAddress());
        HttpResponseMessage? refused = null;
        for (var i = 0; i < LoginThrottlePolicy.Default.FreeFailuresPerSource + 8 && refused is null; i++)
        {
            // One try per name: no single account is tried often enough to be slowed on its own.
            var response = await LoginAsync(sprayer, "user" + i, "password");
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
                refused = response;
            else
                Assert.True(i >= 0 && response.StatusCode == HttpStatusCode.Unauthorized, response.StatusCode.ToString());
        }
        Assert.NotNull(refused);
        Assert.NotNull(refused.Headers.RetryAfter?.Delta);
        // The sprayer is refused for a name it never tried, and for the right password of a real account.
        Assert.Equal(HttpStatusCode.TooManyRequests, (await LoginAsync(sprayer, "tove", Password)).StatusCode);

        using var elsewhere = server.ClientFrom(LoopbackSources.NewAddress());
        Assert.Equal(HttpStatusCode.OK, (await LoginAsync(elsewhere, "tove", Password)).StatusCode);
    }

    [Fact]
    public void Delays_DoubleFromOneSecond_AndAreCapped()
    {
        var p = LoginThrottlePolicy.Default;
        TimeSpan Delay(int failures) => LoginThrottlePolicy.DelayAfter(failures, p.FreeFailuresPerAccount, p.FirstDelay, p.MaxDelayPerAccount);
        Assert.Equal(TimeSpan.Zero, Delay(p.FreeFailuresPerAccount));
        Assert.Equal(TimeSpan.FromSeconds(1), Delay(p.FreeFailuresPerAccount + 1));
        Assert.Equal(TimeSpan.FromSeconds(2), Delay(p.FreeFailuresPerAccount + 2));
        Assert.Equal(TimeSpan.FromSeconds(4), Delay(p.FreeFailuresPerAccount + 3));
        Assert.Equal(p.MaxDelayPerAccount, Delay(p.FreeFailuresPerAccount + 40));
        Assert.Equal(p.MaxDelayPerAccount, Delay(int.MaxValue));
    }

    [Fact]
    public void Sources_IPv6IsCountedPerSlash64_MappedIPv4AsIPv4()
    {
        Assert.Equal("2001:db8:1:2::/64", LoginService.SourceOf(IPAddress.Parse("2001:db8:1:2:aaaa:bbbb:cccc:dddd")));
        Assert.Equal(LoginService.SourceOf(IPAddress.Parse("2001:db8:1:2::1")), LoginService.SourceOf(IPAddress.Parse("2001:db8:1:2:ffff::9")));
        Assert.Equal("192.0.2.7", LoginService.SourceOf(IPAddress.Parse("::ffff:192.0.2.7")));
        Assert.Equal("unknown", LoginService.SourceOf(null));
    }
}
