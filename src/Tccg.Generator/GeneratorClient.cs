using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Http.Resilience;
using Polly;
using Tccg.Generator.Protocol;

namespace Tccg.Generator;

/// <summary>The server took the job away (lease expired and went to another generator, or the job was cancelled).</summary>
public sealed class LeaseLostException(long jobId) : Exception($"The lease on render job {jobId} was lost.")
{
    public long JobId { get; } = jobId;
}

/// <summary>The server answered a generator call with an error other than a lost lease.</summary>
public sealed class GeneratorProtocolException(HttpStatusCode status, string message) : Exception(message)
{
    public HttpStatusCode Status { get; } = status;
}

/// <summary>
/// Typed client for the generator protocol. Transient failures (connection errors, 408, 429, 5xx) are
/// retried with backoff by the resilience handler of <see cref="CreateHttpClient"/>; a 409 means the lease
/// is lost and surfaces as <see cref="LeaseLostException"/>.
/// </summary>
public sealed class GeneratorClient(HttpClient http)
{
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(60);

    /// <summary>An HttpClient for <paramref name="server"/> with the bearer token and retries on transient errors.</summary>
    public static HttpClient CreateHttpClient(Uri server, string token, HttpMessageHandler? inner = null)
    {
        var pipeline = new ResiliencePipelineBuilder<HttpResponseMessage>()
            .AddRetry(new HttpRetryStrategyOptions
            {
                MaxRetryAttempts = 6,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromMilliseconds(300),
                MaxDelay = TimeSpan.FromSeconds(10),
            })
            .Build();
        var handler = new ResilienceHandler(pipeline) { InnerHandler = inner ?? new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) } };
        // A trailing '/' keeps a path prefix (https://host/tccg) when routes are resolved against it.
        var baseAddress = server.AbsoluteUri.EndsWith('/') ? server : new Uri(server.AbsoluteUri + "/");
        var client = new HttpClient(handler) { BaseAddress = baseAddress, Timeout = Timeout.InfiniteTimeSpan };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        client.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("tccg-generator", "1"));
        return client;
    }

    /// <summary>Waits up to <paramref name="wait"/> for a job; null when none came.</summary>
    public async Task<LeaseResponse?> LeaseAsync(string worker, TimeSpan wait, CancellationToken ct)
    {
        using var timeout = Deadline(wait + CallTimeout, ct);
        using var response = await http.PostAsJsonAsync(Relative(GeneratorRoutes.Lease(wait)), new LeaseRequest(worker), timeout.Token);
        if (response.StatusCode == HttpStatusCode.NoContent)
            return null;
        await EnsureAsync(response, 0, timeout.Token);
        return await response.Content.ReadFromJsonAsync<LeaseResponse>(timeout.Token)
            ?? throw new GeneratorProtocolException(response.StatusCode, "The server sent an empty lease.");
    }

    public async Task<HeartbeatResponse> HeartbeatAsync(long jobId, string leaseId, CancellationToken ct)
    {
        using var timeout = Deadline(CallTimeout, ct);
        using var response = await http.PostAsJsonAsync(Relative(GeneratorRoutes.Job(jobId, "heartbeat")), new LeaseHeldRequest(leaseId), timeout.Token);
        await EnsureAsync(response, jobId, timeout.Token);
        return (await response.Content.ReadFromJsonAsync<HeartbeatResponse>(timeout.Token))!;
    }

    public async Task ReportProgressAsync(long jobId, string leaseId, string stage, double percent, double? etaSeconds, CancellationToken ct)
    {
        using var timeout = Deadline(CallTimeout, ct);
        using var response = await http.PostAsJsonAsync(Relative(GeneratorRoutes.Job(jobId, "progress")),
            new ProgressRequest(leaseId, stage, percent, etaSeconds), timeout.Token);
        await EnsureAsync(response, jobId, timeout.Token);
    }

    /// <summary>Starts downloading an input; with <paramref name="etag"/> the server may answer 304 Not Modified.</summary>
    public async Task<HttpResponseMessage> GetInputAsync(long jobId, string path, string? etag, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, Relative(GeneratorRoutes.Input(jobId, path)));
        if (etag is not null && EntityTagHeaderValue.TryParse(etag, out var tag))
            request.Headers.IfNoneMatch.Add(tag);
        var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        if (response.StatusCode is HttpStatusCode.NotModified || response.IsSuccessStatusCode)
            return response;
        using (response)
        {
            await EnsureAsync(response, jobId, ct);
            return response;
        }
    }

    /// <summary>Streams a file to the server as one of the job's outputs (<c>video</c>, <c>credits</c> or <c>thumbnail</c>).</summary>
    public async Task UploadAsync(long jobId, string leaseId, string kind, string file, CancellationToken ct)
    {
        await using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
        using var content = new StreamContent(stream, 1 << 16);
        content.Headers.ContentType = new MediaTypeHeaderValue(kind switch
        {
            GeneratorRoutes.OutputVideo => "video/mp4",
            GeneratorRoutes.OutputThumbnail => "image/jpeg",
            _ => "text/plain",
        });
        content.Headers.ContentLength = stream.Length;
        // Expect: 100-continue lets the server refuse (lease lost, too large) before the body is sent.
        using var request = new HttpRequestMessage(HttpMethod.Put, Relative(GeneratorRoutes.Output(jobId, kind, leaseId))) { Content = content };
        request.Headers.ExpectContinue = true;
        using var response = await http.SendAsync(request, ct);
        await EnsureAsync(response, jobId, ct);
    }

    public async Task<CompletionResponse> CompleteAsync(long jobId, string leaseId, CancellationToken ct)
    {
        using var timeout = Deadline(CallTimeout, ct);
        using var response = await http.PostAsJsonAsync(Relative(GeneratorRoutes.Job(jobId, "complete")), new LeaseHeldRequest(leaseId), timeout.Token);
        await EnsureAsync(response, jobId, timeout.Token);
        return (await response.Content.ReadFromJsonAsync<CompletionResponse>(timeout.Token))!;
    }

    public async Task<CompletionResponse> FailAsync(long jobId, string leaseId, string error, CancellationToken ct)
    {
        using var timeout = Deadline(CallTimeout, ct);
        using var response = await http.PostAsJsonAsync(Relative(GeneratorRoutes.Job(jobId, "fail")), new FailRequest(leaseId, error), timeout.Token);
        await EnsureAsync(response, jobId, timeout.Token);
        return (await response.Content.ReadFromJsonAsync<CompletionResponse>(timeout.Token))!;
    }

    /// <summary>A route relative to the server's base URL, so a server under a prefix (https://host/tccg/) works too.</summary>
    private static Uri Relative(string path) => new(path.TrimStart('/'), UriKind.Relative);

    private static CancellationTokenSource Deadline(TimeSpan after, CancellationToken ct)
    {
        var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(after);
        return cts;
    }

    private static async Task EnsureAsync(HttpResponseMessage response, long jobId, CancellationToken ct)
    {
        if (response.IsSuccessStatusCode)
            return;
        if (response.StatusCode == HttpStatusCode.Conflict && jobId != 0)
            throw new LeaseLostException(jobId);
        var text = await response.Content.ReadAsStringAsync(ct);
        var message = $"The server answered {(int)response.StatusCode} {response.ReasonPhrase}";
        try
        {
            using var doc = JsonDocument.Parse(text);
            if (doc.RootElement.TryGetProperty("title", out var title))
                message += ": " + title.GetString();
            if (doc.RootElement.TryGetProperty("detail", out var detail) && detail.ValueKind == JsonValueKind.String)
                message += " " + detail.GetString();
        }
        catch (JsonException)
        {
        }

        throw new GeneratorProtocolException(response.StatusCode, message);
    }
}
