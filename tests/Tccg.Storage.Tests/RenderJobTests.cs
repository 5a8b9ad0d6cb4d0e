using Tccg.Storage.Accounts;
using Tccg.Storage.Renders;

namespace Tccg.Storage.Tests;

public abstract class RenderJobTests(ITestDatabase provider) : StorageTestBase(provider)
{
    private RenderJobStore Jobs => new(Database, Time);
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(2);

    // Jobs are shared per MariaDB test class, so each test leases until it gets its own job.
    private async Task<RenderLease?> LeaseOwnAsync(string worker, long jobId)
    {
        while (await Jobs.LeaseAsync(worker, Lease, Ct) is { } lease)
        {
            if (lease.Job.Id == jobId)
                return lease;
            await Jobs.CancelAsync(lease.Job.Id, Ct);
        }
        return null;
    }

    [Fact]
    public async Task List_ByOwner_FindsTheirJobsBehindManyOthers()
    {
        var users = new UserStore(Database, Time);
        var anna = await users.AddAsync(Unique("anna"), "correct horse battery", UserRole.Editor, Ct);
        var bob = await users.AddAsync(Unique("bob"), "correct horse battery", UserRole.Editor, Ct);
        var hers = await Jobs.EnqueueAsync(null, anna.Id, "{}", Ct);
        for (var i = 0; i < 5; i++)
            await Jobs.EnqueueAsync(null, bob.Id, "{}", Ct);

        var annas = await Jobs.ListAsync(null, anna.Id, 3, Ct);
        var bobs = await Jobs.ListAsync(null, bob.Id, 3, Ct);

        Assert.Equal([hers.Id], annas.Select(j => j.Id));
        Assert.Equal(3, bobs.Count);
        Assert.All(bobs, j => Assert.Equal(bob.Id, j.OwnerId));
        Assert.DoesNotContain(hers.Id, (await Jobs.ListAsync(null, null, 3, Ct)).Select(j => j.Id));
    }

    [Fact]
    public async Task Lease_TwoWorkersRacing_GetTheJobOnce()
    {
        var jobs = new List<long>();
        for (var i = 0; i < 6; i++)
            jobs.Add((await Jobs.EnqueueAsync(null, null, "{\"version\":1,\"items\":[]}", Ct)).Id);

        var leases = new System.Collections.Concurrent.ConcurrentBag<(string Worker, long Job)>();
        async Task WorkAsync(string worker)
        {
            while (await Jobs.LeaseAsync(worker, Lease, Ct) is { } lease)
                leases.Add((worker, lease.Job.Id));
        }
        await Task.WhenAll(Task.Run(() => WorkAsync("a")), Task.Run(() => WorkAsync("b")), Task.Run(() => WorkAsync("c")));

        var mine = leases.Where(l => jobs.Contains(l.Job)).Select(l => l.Job).ToList();
        Assert.Equal(jobs.Count, mine.Count);
        Assert.Equal(jobs.Order(), mine.Order());
        foreach (var id in jobs)
            Assert.Equal(1, (await Jobs.GetAsync(id, Ct))!.Attempts);
    }

    [Fact]
    public async Task Lease_Expired_IsRequeuedAndGoesToAnotherWorker()
    {
        var job = await Jobs.EnqueueAsync(null, null, "{}", Ct);
        var first = (await LeaseOwnAsync("a", job.Id))!;
        Assert.True(await Jobs.ReportProgressAsync(job.Id, first.LeaseId, "segments", 40, 12, Ct));
        Assert.Equal(RenderJobStatus.Running, (await Jobs.GetAsync(job.Id, Ct))!.Status);

        Time.Advance(TimeSpan.FromMinutes(3));
        Assert.True(await Jobs.RequeueExpiredAsync(maxAttempts: 5, Ct) >= 1);
        var requeued = (await Jobs.GetAsync(job.Id, Ct))!;
        Assert.Equal((RenderJobStatus.Queued, (string?)null), (requeued.Status, requeued.LeaseOwner));

        var second = (await LeaseOwnAsync("b", job.Id))!;
        Assert.Equal(2, second.Job.Attempts);
        Assert.False(await Jobs.HeartbeatAsync(job.Id, first.LeaseId, Lease, Ct));
        Assert.Equal(CompleteResult.LeaseLost, await Jobs.CompleteAsync(job.Id, first.LeaseId, RenderOutcome.Success("x.mp4", null), Ct));
        Assert.True(await Jobs.HeartbeatAsync(job.Id, second.LeaseId, Lease, Ct));
    }

    [Fact]
    public async Task Lease_ExpiredWithoutRequeue_CanBeTakenDirectly()
    {
        var job = await Jobs.EnqueueAsync(null, null, "{}", Ct);
        await LeaseOwnAsync("a", job.Id);
        Time.Advance(TimeSpan.FromMinutes(1));
        Assert.Null(await LeaseOwnAsync("b", job.Id));
        Time.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal("b", (await LeaseOwnAsync("b", job.Id))!.Job.LeaseOwner);
    }

    [Fact]
    public async Task Complete_Twice_IsIdempotent()
    {
        var job = await Jobs.EnqueueAsync(null, null, "{}", Ct);
        var lease = (await LeaseOwnAsync("a", job.Id))!;
        var outcome = RenderOutcome.Success("renders/out.mp4", "renders/out.txt");
        Assert.Equal(CompleteResult.Completed, await Jobs.CompleteAsync(job.Id, lease.LeaseId, outcome, Ct));
        Time.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(CompleteResult.AlreadyCompleted, await Jobs.CompleteAsync(job.Id, lease.LeaseId, outcome, Ct));

        var done = (await Jobs.GetAsync(job.Id, Ct))!;
        Assert.Equal((RenderJobStatus.Succeeded, "renders/out.mp4", "renders/out.txt", (double?)100), (done.Status, done.OutputPath, done.CreditsPath, done.Percent));
        Assert.Equal(Time.GetUtcNow().AddSeconds(-5), done.FinishedAt);
        Time.Advance(TimeSpan.FromMinutes(10));
        await Jobs.RequeueExpiredAsync(5, Ct);
        Assert.Equal(RenderJobStatus.Succeeded, (await Jobs.GetAsync(job.Id, Ct))!.Status);
    }

    [Fact]
    public async Task Requeue_OutOfAttempts_FailsTheJob()
    {
        var job = await Jobs.EnqueueAsync(null, null, "{}", Ct);
        await LeaseOwnAsync("a", job.Id);
        Time.Advance(TimeSpan.FromMinutes(3));
        await Jobs.RequeueExpiredAsync(maxAttempts: 1, Ct);
        var failed = (await Jobs.GetAsync(job.Id, Ct))!;
        Assert.Equal(RenderJobStatus.Failed, failed.Status);
        Assert.NotNull(failed.Error);
    }

    [Fact]
    public async Task Cancel_StopsHeartbeatsAndCompletion()
    {
        var job = await Jobs.EnqueueAsync(null, null, "{}", Ct);
        var lease = (await LeaseOwnAsync("a", job.Id))!;
        Assert.True(await Jobs.CancelAsync(job.Id, Ct));
        Assert.False(await Jobs.CancelAsync(job.Id, Ct));
        Assert.False(await Jobs.HeartbeatAsync(job.Id, lease.LeaseId, Lease, Ct));
        Assert.Equal(CompleteResult.LeaseLost, await Jobs.CompleteAsync(job.Id, lease.LeaseId, RenderOutcome.Failure("x"), Ct));
    }

    [Fact]
    public async Task Delete_OnlyFinishedJobs_RemovesTheRow()
    {
        var job = await Jobs.EnqueueAsync(null, null, "{}", Ct);
        Assert.False(await Jobs.DeleteAsync(job.Id, Ct));
        var lease = (await LeaseOwnAsync("a", job.Id))!;
        Assert.False(await Jobs.DeleteAsync(job.Id, Ct));
        Assert.Equal(CompleteResult.Completed, await Jobs.CompleteAsync(job.Id, lease.LeaseId, RenderOutcome.Success("renders/a.mp4", null), Ct));
        Assert.True(await Jobs.DeleteAsync(job.Id, Ct));
        Assert.Null(await Jobs.GetAsync(job.Id, Ct));
        Assert.False(await Jobs.DeleteAsync(job.Id, Ct));
    }
}

public sealed class RenderJobSqliteTests() : RenderJobTests(new SqliteTestDatabase());

public sealed class RenderJobMariaDbTests(MariaDbTestDatabase db) : RenderJobTests(db), IClassFixture<MariaDbTestDatabase>;
