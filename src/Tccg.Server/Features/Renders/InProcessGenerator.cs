using System.Globalization;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Tccg.Core.Configuration;
using Tccg.Generator;
using Tccg.Media.Rendering;
using Tccg.Storage.Accounts;

namespace Tccg.Server.Features.Renders;

/// <summary>
/// The generator inside <c>tccg server</c> (unless <c>Tccg:Server:InProcessGenerator</c> is false): the same
/// <see cref="GeneratorWorker"/> as <c>tccg generator</c>, talking to this server's own API over loopback
/// with a worker token it creates at start (and revokes at stop; the next start deletes it). It reads inputs straight from the storage
/// root instead of downloading them, and shares the server's segment cache.
/// </summary>
internal sealed partial class InProcessGenerator(
    IServer server,
    IHostApplicationLifetime lifetime,
    ITokenStore tokens,
    Renderer renderer,
    IOptions<StorageOptions> storage,
    IOptions<GeneratorOptions> generator,
    TimeProvider time,
    ILoggerFactory loggers) : BackgroundService
{
    public const string TokenName = "in-process generator";
    private readonly ILogger _logger = loggers.CreateLogger<InProcessGenerator>();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!await WaitForStartAsync(stoppingToken))
            return;
        var address = LoopbackAddress(server.Features.Get<IServerAddressesFeature>()?.Addresses ?? []);
        if (address is null)
        {
            LogNoAddress();
            return;
        }

        var created = await tokens.CreateAsync(TokenName, TokenKind.Worker, null, stoppingToken);
        // Tokens of earlier runs (revoked at their stop, or left by a killed server) are of no use to anyone.
        await tokens.DeleteOthersNamedAsync(TokenName, created.Token.Id, stoppingToken);
        try
        {
            using var http = GeneratorClient.CreateHttpClient(address, created.Secret);
            var s = storage.Value;
            var worker = new GeneratorWorker(new GeneratorClient(http), renderer, new GeneratorWorkerOptions
            {
                Name = "in-process",
                CacheDir = Path.Combine(s.TempDir, "generator"),
                LocalStorageRoot = s.Root,
                SegmentCacheDir = s.SegmentCacheDir,
            }.WithCacheCaps(generator.Value), time, loggers.CreateLogger<GeneratorWorker>());
            LogRunning(address);
            await worker.RunAsync(once: false, stoppingToken);
        }
        catch (GeneratorProtocolException e)
        {
            // Never take the server down with it.
            LogRefused(e.Message);
        }
        finally
        {
            await tokens.RevokeAsync(created.Token.Id, CancellationToken.None);
        }
    }

    private async Task<bool> WaitForStartAsync(CancellationToken ct)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var onStarted = lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        using var onStop = ct.Register(() => started.TrySetCanceled(ct));
        try
        {
            await started.Task;
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>A listen address rewritten to loopback (0.0.0.0, [::], * and + become 127.0.0.1); http preferred
    /// (an https-only server needs a certificate valid for that name).</summary>
    internal static Uri? LoopbackAddress(ICollection<string> addresses)
    {
        foreach (var a in addresses.OrderBy(a => a.StartsWith("https:", StringComparison.OrdinalIgnoreCase)))
        {
            var text = a.Replace("://+", "://127.0.0.1", StringComparison.Ordinal).Replace("://*", "://127.0.0.1", StringComparison.Ordinal);
            if (!Uri.TryCreate(text, UriKind.Absolute, out var uri))
                continue;
            var host = uri.Host is "0.0.0.0" or "[::]" or "::" ? "127.0.0.1" : uri.Host;
            return new UriBuilder(uri.Scheme, host, uri.Port).Uri;
        }
        return null;
    }

    [LoggerMessage(LogLevel.Information, "In-process generator attached to {Address}")]
    private partial void LogRunning(Uri address);

    [LoggerMessage(LogLevel.Error, "In-process generator stopped: {Reason}")]
    private partial void LogRefused(string reason);

    [LoggerMessage(LogLevel.Warning, "In-process generator not started: the server has no listen address")]
    private partial void LogNoAddress();
}
