using Microsoft.Extensions.DependencyInjection;
using Tccg.Core.Clips;
using Tccg.Core.Twitch;
using Tccg.Storage.Games;
using Tccg.Twitch.Finder;

namespace Tccg.Twitch.Tests;

public sealed class FinderIntegrationTests
{
    [Fact]
    public async Task Find_BusyWeek_SlicingCollectsFarMoreThanTheCap()
    {
        await using var world = await TwitchWorld.StartAsync(clips: 3000);
        var game = await world.AddGameAsync();
        var result = await world.Finder.FindAsync(game, ClipPeriod.Week, null, CancellationToken.None);

        var window = ClipWindows.ForPeriod(ClipPeriod.Week, DateTimeOffset.UtcNow);
        var expected = world.Sim.World.Clips.Count(c => c.GameId == TwitchWorld.GameId && c.CreatedAt >= window.Start);
        Assert.True(result.Collected >= expected * 0.95, $"collected {result.Collected} of {expected}");
        Assert.True(result.Collected > 1500);
        Assert.True(result.Splits > 0);

        var stored = await world.AllClipsAsync();
        Assert.Equal(result.Accepted, stored.Count);
        Assert.All(stored, c => Assert.True(window.Contains(c.CreatedAt), $"{c.TwitchClipId} created {c.CreatedAt:O} is outside the week"));
        Assert.All(stored, c => Assert.False(string.IsNullOrEmpty(c.BroadcasterLogin)));
        Assert.Equal(0, world.Sim.Counters.RateLimited);
    }

    [Fact]
    public async Task Find_OverlappingVodClips_AreMarkedDuplicateKeepingTheMostViewed()
    {
        await using var world = await TwitchWorld.StartAsync(clips: 400, sim: o => o.DuplicateRate = 0.2);
        var game = await world.AddGameAsync();
        var result = await world.Finder.FindAsync(game, ClipPeriod.Week, null, CancellationToken.None);
        Assert.True(result.Duplicates > 0);

        var stored = await world.AllClipsAsync();
        var byId = stored.ToDictionary(c => c.Id);
        var duplicates = stored.Where(c => c.Status == ClipStatus.Duplicate).ToList();
        Assert.Equal(result.Duplicates, duplicates.Count);
        foreach (var duplicate in duplicates)
        {
            var winner = byId[duplicate.DuplicateOf!.Value];
            Assert.Equal(duplicate.VideoId, winner.VideoId);
            Assert.True(winner.ViewCount >= duplicate.ViewCount);
            Assert.True(duplicate.VodOffset < winner.VodOffset + winner.Duration && winner.VodOffset < duplicate.VodOffset + duplicate.Duration);
        }
    }

    [Fact]
    public async Task Find_GameFilters_KeepOnlyMatchingClips()
    {
        await using var world = await TwitchWorld.StartAsync(clips: 600);
        var blocked = world.Sim.World.Broadcasters[0].Login;
        var game = await world.AddGameAsync(g => g with
        {
            Filters = new ClipFilters
            {
                Languages = ["en"], MinViews = 20, MinDuration = 10, MaxDuration = 50, BlockedBroadcasters = [blocked], PerBroadcasterCap = 5,
            },
        });
        var result = await world.Finder.FindAsync(game, ClipPeriod.Week, null, CancellationToken.None);
        var stored = await world.AllClipsAsync();
        Assert.NotEmpty(stored);
        Assert.True(result.Collected > stored.Count);
        Assert.All(stored, c =>
        {
            Assert.True(c.Language == "en" || c.Language.StartsWith("en-", StringComparison.Ordinal), c.Language);
            Assert.InRange(c.ViewCount, 20, int.MaxValue);
            Assert.InRange(c.Duration, 10, 50);
            Assert.NotEqual(blocked, c.BroadcasterLogin);
        });
        Assert.All(stored.GroupBy(c => c.BroadcasterId), g => Assert.InRange(g.Count(), 1, 5));
    }

    [Fact]
    public async Task Find_ExpiredToken_ReauthenticatesAndCompletes()
    {
        await using var world = await TwitchWorld.StartAsync(clips: 300);
        var game = await world.AddGameAsync();
        world.Sim.ExpireTokens();
        var result = await world.Finder.FindAsync(game, ClipPeriod.Week, null, CancellationToken.None);
        Assert.True(result.Collected > 250);
        Assert.True(world.Sim.Counters.Unauthorized >= 1);
        Assert.Equal(2, world.Sim.Counters.TokensIssued);
    }

    [Fact]
    public async Task Find_IntermittentServerErrors_AreRetried()
    {
        await using var world = await TwitchWorld.StartAsync(clips: 1500);
        var game = await world.AddGameAsync();
        world.Sim.HelixFaults.ServerErrorRate = 0.15;
        var result = await world.Finder.FindAsync(game, ClipPeriod.Week, null, CancellationToken.None);
        Assert.True(world.Sim.Counters.ServerErrors > 0);
        Assert.True(result.Collected > 1400, $"collected {result.Collected}");
    }

    [Fact]
    public async Task Find_TwoProcessesSharingADrainedBucket_WaitOut429sAndBothComplete()
    {
        await using var world = await TwitchWorld.StartAsync(clips: 2500, sim: o =>
        {
            o.RateLimitPoints = 30;
            o.RateLimitWindow = TimeSpan.FromSeconds(1);
        });
        var game = await world.AddGameAsync();
        // Someone else with the same app spends the whole bucket first.
        using var stranger = new HttpClient();
        var token = await stranger.PostAsync(new Uri($"{world.Sim.AuthBaseUrl}/oauth2/token?grant_type=client_credentials&client_id={world.Sim.ClientId}&client_secret={world.Sim.ClientSecret}"), null);
        var accessToken = System.Text.Json.JsonDocument.Parse(await token.Content.ReadAsStringAsync()).RootElement.GetProperty("access_token").GetString();
        stranger.DefaultRequestHeaders.Add("Client-Id", world.Sim.ClientId);
        stranger.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", accessToken);
        for (var i = 0; i < 40; i++)
            (await stranger.GetAsync(new Uri($"{world.Sim.HelixBaseUrl}/games?name=x"))).Dispose();
        var strangerThrottled = world.Sim.Counters.RateLimited;
        Assert.True(strangerThrottled > 0);

        await using var other = world.SecondProcess();
        var results = await Task.WhenAll(
            world.Finder.FindAsync(game, ClipPeriod.Week, null, CancellationToken.None),
            other.GetRequiredService<ClipFinder>().FindAsync(game, ClipPeriod.Week, null, CancellationToken.None));
        Assert.All(results, r => Assert.True(r.Collected > 2000, $"collected {r.Collected}"));
        // Each process learns the budget from its first answer; after that the shared bucket is paced, not hammered.
        Assert.InRange(world.Sim.Counters.RateLimited - strangerThrottled, 0, 20);
    }

    [Fact]
    public async Task Find_Progress_ReportsWindowsAndClips()
    {
        await using var world = await TwitchWorld.StartAsync(clips: 1200);
        var game = await world.AddGameAsync();
        var reports = new List<FinderProgress>();
        var progress = new SyncProgress<FinderProgress>(p => { lock (reports) reports.Add(p); });
        await world.Finder.FindAsync(game, ClipPeriod.Week, progress, CancellationToken.None);
        Assert.Contains(reports, r => r.Phase == "collecting" && r.WindowsDone > 1);
        Assert.Equal("done", reports[^1].Phase);
        Assert.NotNull(reports[^1].Budget.Limit);
        var saved = await world.Games.GetAsync(game.Id, CancellationToken.None);
        Assert.NotNull(saved!.LastFindAt);
        Assert.True(saved.NextFindAt > saved.LastFindAt);
    }
}

internal sealed class SyncProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}

public sealed class HelixEndpointTests
{
    [Fact]
    public async Task Endpoints_GamesByIdTopGamesAndUsersInBatches_ReadTheSimulator()
    {
        await using var world = await TwitchWorld.StartAsync(clips: 50, sim: o => o.BroadcasterCount = 150);
        var helix = world.Services.GetRequiredService<Tccg.Twitch.Helix.HelixClient>();

        var byId = Assert.Single(await helix.GetGamesByIdAsync([TwitchWorld.GameId], CancellationToken.None));
        Assert.Equal(TwitchWorld.GameName, byId.Name);
        var top = await helix.GetTopGamesAsync(10, null, CancellationToken.None);
        Assert.Contains(top.Data, g => g.Id == TwitchWorld.GameId);
        Assert.Null(await helix.GetGameByNameAsync("No Such Category", CancellationToken.None));

        var ids = world.Sim.World.Broadcasters.Select(b => b.Id).ToList();
        Assert.True(ids.Count > 100);
        var before = world.Sim.Counters.HelixRequests;
        var users = await helix.GetUsersByIdAsync(ids, CancellationToken.None);
        Assert.Equal(ids.Count, users.Count);
        Assert.Equal(2, world.Sim.Counters.HelixRequests - before);
        Assert.All(users, u => Assert.Equal(world.Sim.World.UsersById[u.Id].Login, u.Login));
    }
}
