using System.Net;
using System.Net.Http.Json;
using Tccg.Generator.Protocol;
using Tccg.Server.Tests.Security;
using Tccg.Storage.Accounts;

namespace Tccg.Server.Tests.Renders;

/// <summary>Probe finding 6: HEAD on render outputs answers like GET (it was 405).</summary>
public sealed class RenderOutputHeadTests
{
    private static Uri U(string path) => new(path, UriKind.Relative);

    [Fact]
    public async Task Head_OnRenderVideoAndCredits_AnswersLikeGet()
    {
        await using var world = await RenderWorld.StartAsync();
        var alice = await world.Server.LoginAsNewUserAsync("alice", UserRole.Editor);
        var aliceId = (await world.Server.App.Services.GetRequiredServiceCompat<IUserStore>().GetByNameAsync("alice", CancellationToken.None))!.Id;
        var job = await world.EnqueueAsync(aliceId, "Head comp");
        var worker = await world.WorkerClientAsync();
        var lease = (await (await worker.PostAsJsonAsync(U(GeneratorRoutes.Lease(TimeSpan.FromSeconds(5))), new LeaseRequest("w")))
            .Content.ReadFromJsonAsync<LeaseResponse>())!;
        Assert.Equal(job.Id, lease.JobId);
        await HardeningTests.AssertHeadMatchesGetAsync(worker, GeneratorRoutes.Input(job.Id, "clips/a.mp4"));
        var mp4 = await File.ReadAllBytesAsync(Path.Combine(RenderWorld.MediaDir, "clips", "c.mp4"));
        (await worker.PutAsync(U(GeneratorRoutes.Output(job.Id, GeneratorRoutes.OutputVideo, lease.LeaseId)), new ByteArrayContent(mp4))).EnsureSuccessStatusCode();
        (await worker.PutAsync(U(GeneratorRoutes.Output(job.Id, GeneratorRoutes.OutputCredits, lease.LeaseId)), new ByteArrayContent("credits\n"u8.ToArray()))).EnsureSuccessStatusCode();
        (await worker.PostAsJsonAsync(U(GeneratorRoutes.Job(job.Id, "complete")), new LeaseHeldRequest(lease.LeaseId))).EnsureSuccessStatusCode();

        await HardeningTests.AssertHeadMatchesGetAsync(alice, $"/api/v1/renders/{job.Id}/video");
        await HardeningTests.AssertHeadMatchesGetAsync(alice, $"/api/v1/renders/{job.Id}/credits");
        await HardeningTests.AssertHeadMatchesGetAsync(alice, $"/api/v1/renders/{job.Id}");
        Assert.Equal(HttpStatusCode.Unauthorized, (await world.Server.CreateClient().SendAsync(new HttpRequestMessage(HttpMethod.Head, U($"/api/v1/renders/{job.Id}/video")))).StatusCode);
    }
}
