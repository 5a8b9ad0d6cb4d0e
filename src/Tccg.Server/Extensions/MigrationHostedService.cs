using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Tccg.Core.Configuration;
using Tccg.Storage.Database;

namespace Tccg.Server.Extensions;

/// <summary>Creates the data folders and brings the database schema up to date before the server listens.</summary>
internal sealed partial class MigrationHostedService(
    MigrationRunner migrations, IOptions<StorageOptions> storage, ILogger<MigrationHostedService> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var s = storage.Value;
        foreach (var dir in new[] { s.Root, s.ClipsDir, s.AssetsDir, s.RendersDir, s.SegmentCacheDir, s.TempDir })
            Directory.CreateDirectory(dir);
        var applied = await migrations.MigrateAsync(cancellationToken);
        LogMigrated(logger, applied);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Database schema up to date ({Applied} migrations applied)")]
    private static partial void LogMigrated(ILogger logger, int applied);
}
