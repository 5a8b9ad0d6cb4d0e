using Tccg.Storage.Compilations;
using Tccg.Storage.Layouts;
using Tccg.Storage.Renders;

namespace Tccg.Storage.Tests;

/// <summary>Migration 11 on both databases: per-streamer layouts, items' own layouts, render batches and thumbnails.</summary>
public abstract class LayoutStoreTests(ITestDatabase provider) : StorageTestBase(provider)
{
    private const string Facecam = """{"mode":"stacked","top":{"x":0.7,"y":0,"w":0.3,"h":0.3},"bottom":{"x":0.2,"y":0,"w":0.6,"h":1},"split":0.4}""";

    [Fact]
    public async Task StreamerLayouts_SetReplaceGetManyAndDelete()
    {
        var store = new StreamerLayoutStore(Database, Time);
        var (a, b) = (Unique("s"), Unique("s"));
        await store.SetAsync(a, """{"mode":"crop","rect":{"x":0,"y":0,"w":0.5,"h":1}}""", null, Ct);
        Time.Advance(TimeSpan.FromSeconds(5));
        var replaced = await store.SetAsync(a, Facecam, null, Ct);
        Assert.Equal(Facecam, (await store.GetAsync(a, Ct))!.LayoutJson);
        Assert.Equal(replaced.UpdatedAt, (await store.GetAsync(a, Ct))!.UpdatedAt);
        var many = await store.GetManyAsync([a, b], Ct);
        Assert.Equal([a], many.Keys);
        Assert.Contains(await store.ListAsync(Ct), s => s.BroadcasterId == a);
        Assert.True(await store.DeleteAsync(a, Ct));
        Assert.False(await store.DeleteAsync(a, Ct));
        Assert.Null(await store.GetAsync(a, Ct));
    }

    [Fact]
    public async Task ItemsKeepTheirLayout_BatchesGroupJobs_AndThumbnailsAreStored()
    {
        var clips = new Clips.ClipStore(Database, Time);
        var ids = new List<long>();
        foreach (var twitchId in new[] { Unique("clip"), Unique("clip") })
        {
            await clips.UpsertFoundAsync([new Clips.FoundClip
            {
                TwitchClipId = twitchId, Url = "https://clips.twitch.tv/" + twitchId, BroadcasterId = "1", BroadcasterName = "S", GameId = "g",
            }], Ct);
            ids.Add((await clips.GetByTwitchIdAsync(twitchId, Ct))!.Id);
        }
        var compilations = new CompilationStore(Database, Time);
        var c = await compilations.CreateAsync(new Compilation { Name = Unique("c") }, Ct);
        await compilations.SetItemsAsync(c.Id, [new CompilationItem(ids[0], LayoutJson: Facecam), new CompilationItem(ids[1])], Ct);
        var items = await compilations.GetItemsAsync(c.Id, Ct);
        Assert.Equal([Facecam, null], items.Select(i => i.LayoutJson));

        var batches = new RenderBatchStore(Database, Time);
        var jobs = new RenderJobStore(Database, Time);
        var batch = await batches.CreateAsync(c.Id, null, "Week — shorts", Ct);
        var job = await jobs.EnqueueAsync(c.Id, null, "{}", batch.Id, Ct);
        Assert.Equal(batch.Id, job.BatchId);
        Assert.Equal("Week — shorts", (await batches.GetManyAsync([batch.Id], Ct))[batch.Id].Name);
        var lease = (await jobs.LeaseAsync("w", TimeSpan.FromMinutes(1), Ct))!;
        while (lease.Job.Id != job.Id)
        {
            await jobs.CompleteAsync(lease.Job.Id, lease.LeaseId, RenderOutcome.Failure("not this one"), Ct);
            lease = (await jobs.LeaseAsync("w", TimeSpan.FromMinutes(1), Ct))!;
        }
        Assert.Equal(CompleteResult.Completed, await jobs.CompleteAsync(job.Id, lease.LeaseId, RenderOutcome.Success("renders/1-a.mp4", null, "renders/1-a.jpg"), Ct));
        Assert.Equal("renders/1-a.jpg", (await jobs.GetAsync(job.Id, Ct))!.ThumbnailPath);
    }
}

public sealed class LayoutStoreSqliteTests() : LayoutStoreTests(new SqliteTestDatabase());

public sealed class LayoutStoreMariaDbTests(MariaDbTestDatabase db) : LayoutStoreTests(db), IClassFixture<MariaDbTestDatabase>;
