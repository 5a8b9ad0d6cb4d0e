using System.Globalization;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Tccg.Core.Configuration;
using Tccg.Storage.Backup;
using Tccg.Storage.Servers;

namespace Tccg.Server.Features.Deployment;

/// <summary>
/// <c>Tccg:Backup:Schedule</c>: a backup every day at that UTC time into <c>Tccg:Backup:Dir</c>, keeping the newest
/// <c>Tccg:Backup:Keep</c>. With several servers on one database the one that takes the <c>backup</c> lease makes it.
/// </summary>
internal sealed class NightlyBackupService(
    IOptions<BackupOptions> options,
    IOptions<StorageOptions> storage,
    BackupService backups,
    ILeaseStore leases,
    TimeProvider time,
    ILogger<NightlyBackupService> logger) : BackgroundService
{
    public const string Prefix = "tccg-";
    private readonly string _holder = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid().ToString("N")[..8]}";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Value.TimeOfDay is not { } at)
            return;
        var dir = options.Value.ResolveDir(storage.Value);
        logger.LogInformation("Nightly backup at {Time} UTC into {Dir}, keeping {Keep}", options.Value.Schedule, dir, options.Value.Keep);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var now = time.GetUtcNow();
                await Task.Delay(Next(now, at) - now, time, stoppingToken);
                await RunAsync(dir, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>The next time of day <paramref name="at"/> (UTC) strictly after <paramref name="now"/>.</summary>
    internal static DateTimeOffset Next(DateTimeOffset now, TimeOnly at)
    {
        var today = new DateTimeOffset(DateOnly.FromDateTime(now.UtcDateTime).ToDateTime(at), TimeSpan.Zero);
        return today > now ? today : today.AddDays(1);
    }

    private async Task RunAsync(string dir, CancellationToken ct)
    {
        // Held for a day at most: a server that dies while backing up does not block tomorrow's backup.
        if (!await leases.TryAcquireAsync("backup", _holder, TimeSpan.FromHours(20), ct))
        {
            logger.LogInformation("Nightly backup left to the server holding the backup lease");
            return;
        }
        try
        {
            var name = Prefix + time.GetUtcNow().ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
            await backups.BackupAsync(Path.Combine(dir, name), options.Value.WithClips, null, ct);
            Prune(dir, options.Value.Keep);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "Nightly backup failed");
        }
    }

    /// <summary>Deletes all but the newest <paramref name="keep"/> complete backups (folders named tccg-… with a manifest).</summary>
    internal static void Prune(string dir, int keep)
    {
        var complete = Directory.EnumerateDirectories(dir, Prefix + "*")
            .Where(d => File.Exists(Path.Combine(d, BackupManifest.FileName)))
            .OrderByDescending(d => Path.GetFileName(d), StringComparer.Ordinal)
            .ToList();
        foreach (var old in complete.Skip(keep))
            Directory.Delete(old, recursive: true);
    }
}
