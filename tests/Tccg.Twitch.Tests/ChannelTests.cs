using Microsoft.Extensions.DependencyInjection;
using Tccg.Core.Clips;
using Tccg.Core.Twitch;
using Tccg.Storage.Channels;
using Tccg.Storage.Compilations;
using Tccg.Twitch.Channels;
using Tccg.Twitch.Downloads;

namespace Tccg.Twitch.Tests;

public sealed class ChannelTests
{
    /// <summary>One busy channel: every clip of the world is on it (one broadcaster), 2,400 in a week, well past the cap.</summary>
    private static Task<TwitchWorld> BusyChannelAsync() =>
        TwitchWorld.StartAsync(clips: 2400, sim: o => o.BroadcasterCount = 1);

    [Fact]
    public async Task Channels_AddFindPastTheCapDownloadAndReview_EndToEnd()
    {
        await using var world = await BusyChannelAsync();
        var login = world.Sim.World.Broadcasters[0].Login;
        var catalog = world.Services.GetRequiredService<ChannelCatalog>();

        var added = await catalog.AddByLoginAsync(login.ToUpperInvariant(), CancellationToken.None);
        Assert.Equal(AddChannelStatus.Added, added.Status);
        Assert.Equal(world.Sim.World.Broadcasters[0].Id, added.Channel!.TwitchUserId);
        Assert.Equal(AddChannelStatus.AlreadySaved, (await catalog.AddByLoginAsync(login, CancellationToken.None)).Status);

        var channel = (await world.Services.GetRequiredService<IChannelStore>().GetByLoginAsync(login, CancellationToken.None))!;
        var result = await world.Finder.FindChannelAsync(channel, ClipPeriod.Week, null, CancellationToken.None);
        var window = ClipWindows.ForPeriod(ClipPeriod.Week, DateTimeOffset.UtcNow);
        var expected = world.Sim.World.Clips.Count(c => c.Broadcaster.Id == channel.TwitchUserId && c.CreatedAt >= window.Start);
        Assert.True(expected > 1500, $"the channel has {expected} clips this week");
        Assert.True(result.Collected >= expected * 0.95, $"collected {result.Collected} of {expected}");
        Assert.True(result.Splits > 0);
        Assert.Equal(0, world.Sim.Counters.RateLimited);
        Assert.NotNull((await world.Services.GetRequiredService<IChannelStore>().GetAsync(channel.Id, CancellationToken.None))!.LastFindAt);

        var stored = await world.AllClipsAsync();
        Assert.All(stored, c => Assert.Equal(channel.TwitchUserId, c.BroadcasterId));
        Assert.All(stored, c => Assert.Equal(TwitchWorld.GameId, c.GameId));    // each clip keeps the category it was clipped in
        Assert.All(stored, c => Assert.False(string.IsNullOrEmpty(c.CreatorName)));

        var download = await world.Downloader.DownloadAsync(new DownloadRequest(null, 4, channel.TwitchUserId), null, CancellationToken.None);
        Assert.Equal(4, download.Total);
        Assert.True(download.Downloaded >= 3, $"{download.Downloaded} downloaded");
        var counts = await world.Clips.CountsOfChannelAsync(channel.TwitchUserId, CancellationToken.None);
        Assert.Equal(download.Downloaded, counts.Where(c => c.Status == ClipStatus.Downloaded).Sum(c => c.Count));

        // A compilation of the channel reviews exactly the channel's downloaded clips.
        var compilation = await world.Services.GetRequiredService<ICompilationStore>().CreateAsync(
            new Compilation { Name = "channel best of", ChannelId = channel.TwitchUserId }, CancellationToken.None);
        Assert.Equal(ClipScope.Channel(channel.TwitchUserId), compilation.ReviewScope);
        var reread = await world.Services.GetRequiredService<ICompilationStore>().GetAsync(compilation.Id, CancellationToken.None);
        Assert.Equal(channel.TwitchUserId, reread!.ChannelId);
        var queue = await world.Clips.NextToReviewAsync(reread.ReviewScope!.Value, compilation.Id, 50, CancellationToken.None);
        Assert.Equal(download.Downloaded, queue.Count);
        Assert.All(queue, c => Assert.Equal((ClipStatus.Downloaded, channel.TwitchUserId), (c.Status, c.BroadcasterId)));
    }

    [Fact]
    public async Task Channels_UnknownOrMalformedLogin_IsRefusedClearly()
    {
        await using var world = await TwitchWorld.StartAsync(clips: 10);
        var catalog = world.Services.GetRequiredService<ChannelCatalog>();
        var unknown = await catalog.AddByLoginAsync("nosuchchannel_42", CancellationToken.None);
        Assert.Equal((AddChannelStatus.NotOnTwitch, "nosuchchannel_42"), (unknown.Status, unknown.Login));
        await Assert.ThrowsAsync<ArgumentException>(() => catalog.AddByLoginAsync("not a login!", CancellationToken.None));
        Assert.Empty(await world.Services.GetRequiredService<IChannelStore>().ListAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Channels_Filters_ApplyToTheChannelsClips()
    {
        await using var world = await TwitchWorld.StartAsync(clips: 300, sim: o => o.BroadcasterCount = 3);
        var broadcaster = world.Sim.World.Broadcasters[0];
        var added = await world.Services.GetRequiredService<ChannelCatalog>().AddByLoginAsync(broadcaster.Login, CancellationToken.None);
        var store = world.Services.GetRequiredService<IChannelStore>();
        var channel = added.Channel! with { Filters = new ClipFilters { MinViews = 40, MinDuration = 10, MaxDuration = 40 } };
        Assert.True(await store.UpdateAsync(channel, CancellationToken.None));
        channel = (await store.GetAsync(channel.Id, CancellationToken.None))!;
        Assert.Equal((40, 10.0, 40.0), (channel.Filters.MinViews, channel.Filters.MinDuration, channel.Filters.MaxDuration));

        var result = await world.Finder.FindChannelAsync(channel, ClipPeriod.Week, null, CancellationToken.None);
        Assert.True(result.Accepted > 0 && result.Accepted < result.Collected, $"{result.Accepted} of {result.Collected}");
        var stored = await world.AllClipsAsync();
        Assert.Equal(result.Accepted, stored.Count);
        Assert.All(stored, c =>
        {
            Assert.Equal(broadcaster.Id, c.BroadcasterId);
            Assert.True(c.ViewCount >= 40 && c.Duration is >= 10 and <= 40, $"{c.TwitchClipId}: {c.ViewCount} views, {c.Duration} s");
        });
    }
}
