using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Tccg.Generator;
using Tccg.Media.Rendering;
using Tccg.Server.Features.Renders;
using Tccg.Storage.Renders;

namespace Tccg.Server.Tests.Renders;

public sealed class GeneratorResilienceTests
{
    /// <summary>Answers the first try of every request with 503 (after reading any body), then passes it on.</summary>
    private sealed class FirstTryFails : DelegatingHandler
    {
        private readonly HashSet<string> _seen = [];
        public int Refused { get; private set; }

        public FirstTryFails() => InnerHandler = new SocketsHttpHandler();

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var key = request.Method + " " + request.RequestUri;
            bool first;
            lock (_seen)
                first = _seen.Add(key);
            if (!first || request.RequestUri!.AbsolutePath.EndsWith("/lease", StringComparison.Ordinal))
                return await base.SendAsync(request, cancellationToken);
            if (request.Content is not null)
                await request.Content.CopyToAsync(Stream.Null, cancellationToken);
            Refused++;
            return new HttpResponseMessage(HttpStatusCode.ServiceUnavailable);
        }
    }

    [Fact]
    public async Task Generator_TransientServerErrors_AreRetriedAndTheJobStillSucceeds()
    {
        await using var world = await RenderWorld.StartAsync();
        var job = await world.EnqueueAsync(null);
        var flaky = new FirstTryFails();
        using var http = GeneratorClient.CreateHttpClient(world.Server.BaseUrl, await world.WorkerTokenAsync("flaky"), flaky);
        var worker = new GeneratorWorker(new GeneratorClient(http), world.Server.App.Services.GetRequiredService<Renderer>(),
            new GeneratorWorkerOptions { Name = "flaky", CacheDir = Path.Combine(world.Server.DataDir, "gen-flaky"), LeaseWait = TimeSpan.FromSeconds(5) },
            TimeProvider.System, NullLogger<GeneratorWorker>.Instance);

        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await worker.RunAsync(once: true, stop.Token);

        Assert.Equal(JobOutcome.Succeeded, worker.LastOutcome);
        Assert.Equal(RenderJobStatus.Succeeded, (await world.Jobs.GetAsync(job.Id, CancellationToken.None))!.Status);
        Assert.True(flaky.Refused >= 6, $"only {flaky.Refused} requests were refused"); // 3 inputs, 2 uploads, complete (+ progress)
    }

    [Fact]
    public async Task Generator_RefusedToken_StopsWithAClearErrorInsteadOfRetrying()
    {
        await using var world = await RenderWorld.StartAsync();
        using var http = GeneratorClient.CreateHttpClient(world.Server.BaseUrl, "not-a-token");
        var worker = new GeneratorWorker(new GeneratorClient(http), world.Server.App.Services.GetRequiredService<Renderer>(),
            new GeneratorWorkerOptions { Name = "bad", CacheDir = Path.Combine(world.Server.DataDir, "gen-bad") },
            TimeProvider.System, NullLogger<GeneratorWorker>.Instance);

        var error = await Assert.ThrowsAsync<GeneratorProtocolException>(() => worker.RunAsync(once: true, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(20)));
        Assert.Equal(HttpStatusCode.Unauthorized, error.Status);
        Assert.Contains("tccg token create --worker", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://0.0.0.0:5080", "http://127.0.0.1:5080/")]
    [InlineData("http://[::]:5080", "http://127.0.0.1:5080/")]
    [InlineData("http://+:81", "http://127.0.0.1:81/")]
    [InlineData("https://localhost:5443;http://127.0.0.1:5080", "http://127.0.0.1:5080/")]
    [InlineData("https://localhost:5443", "https://localhost:5443/")]
    public void LoopbackAddress_ListenAddress_BecomesALoopbackUrl(string addresses, string expected) =>
        Assert.Equal(expected, InProcessGenerator.LoopbackAddress(addresses.Split(";"))?.ToString());

    [Theory]
    [InlineData("My Comp", "My-Comp")]
    [InlineData("../../etc/passwd", "etc-passwd")]
    [InlineData("Ärger & Spaß 2026", "Ärger---Spaß-2026")]
    [InlineData("///", "render")]
    public void OutputName_AnyCompilationName_IsASafeFileName(string name, string expected) =>
        Assert.Equal(expected, GeneratorWorker.OutputName(name));
}
