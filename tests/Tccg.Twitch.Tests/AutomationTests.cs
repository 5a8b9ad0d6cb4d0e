using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Tccg.Core.Clips;
using Tccg.Core.Configuration;
using Tccg.Storage.Games;
using Tccg.Twitch.Automation;

namespace Tccg.Twitch.Tests;

public sealed class AutomationTests
{
    private static AutomationService Service(TwitchWorld world, AutomationState state) => new(
        world.Services.GetRequiredService<IServiceScopeFactory>(), state,
        Options.Create(new AutomationOptions { DownloadBatch = 2 }), Options.Create(new ServerOptions()),
        TimeProvider.System, NullLogger<AutomationService>.Instance);

    [Fact]
    public async Task RunOnce_DueGame_FindsThenDownloadsUpToTheTarget()
    {
        await using var world = await TwitchWorld.StartAsync(clips: 30);
        await world.AddGameAsync(g => g with { Schedule = new GameSchedule { TargetUnreviewed = 5, IntervalMinutes = 30 } });
        var state = new AutomationState();
        var changes = 0;
        using var subscription = state.Subscribe(() => Interlocked.Increment(ref changes));

        await Service(world, state).RunOnceAsync(CancellationToken.None);

        var status = Assert.Single(state.Games);
        Assert.Equal(AutomationPhase.Idle, status.Phase);
        Assert.Null(status.LastError);
        Assert.Equal(5, status.Downloaded);
        Assert.True(status.LastFound > 0);
        Assert.NotNull(status.LastRun);
        Assert.True(status.NextRun > status.LastRun);
        Assert.True(changes > 3);
        var counts = await world.Clips.CountsAsync(TwitchWorld.GameId, CancellationToken.None);
        Assert.Equal(5, counts.Single(c => c.Status == ClipStatus.Downloaded).Count);

        // Not due again: a second pass neither searches nor downloads.
        var helixCalls = world.Sim.Counters.HelixRequests;
        await Service(world, state).RunOnceAsync(CancellationToken.None);
        Assert.Equal(helixCalls, world.Sim.Counters.HelixRequests);
        Assert.Equal(5, (await world.Clips.CountsAsync(TwitchWorld.GameId, CancellationToken.None)).Single(c => c.Status == ClipStatus.Downloaded).Count);
    }

    [Fact]
    public async Task RunOnce_RotatedHash_BlocksTheGameWithTheActionableError()
    {
        await using var world = await TwitchWorld.StartAsync(clips: 10);
        await world.AddGameAsync(g => g with { Schedule = new GameSchedule { TargetUnreviewed = 3 } });
        world.Sim.AcceptGql(); // every way stale: ShareClipRenderStatus and VideoAccessToken_Clip
        var state = new AutomationState();
        await Service(world, state).RunOnceAsync(CancellationToken.None);
        var status = Assert.Single(state.Games);
        Assert.Equal(AutomationPhase.Blocked, status.Phase);
        Assert.Contains("Tccg:Twitch:ClipAccessHash", status.LastError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddTccgAutomation_RegistersTheHostedServiceAndState()
    {
        var services = new ServiceCollection();
        services.AddTccgAutomation();
        using var sp = services.BuildServiceProvider();
        Assert.Contains(services, d => d.ServiceType == typeof(Microsoft.Extensions.Hosting.IHostedService));
        Assert.NotNull(sp.GetRequiredService<AutomationState>());
    }
}
