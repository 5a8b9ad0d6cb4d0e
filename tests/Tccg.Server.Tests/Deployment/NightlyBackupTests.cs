using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Tccg.Core.Configuration;
using Tccg.Server.Features.Deployment;
using Tccg.Storage;
using Tccg.Storage.Backup;
using Tccg.Storage.Database;

namespace Tccg.Server.Tests.Deployment;

/// <summary>
/// <c>Tccg:Backup:Schedule/Dir/Keep</c>: the server's nightly backup, driven by a fake clock (nights pass in
/// milliseconds), on a real SQLite database and data folder.
/// </summary>
public sealed class NightlyBackupTests : IDisposable
{
    private readonly string _data = Path.Combine(Path.GetTempPath(), "tccg-nightly-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_data))
            Directory.Delete(_data, recursive: true);
    }

    [Fact]
    public async Task Schedule_RunsTheBackupAtItsTimeEachNight_AndKeepsOnlyTheNewest()
    {
        var dir = Path.Combine(_data, "nightly");
        var time = new TimerSignallingTime(new DateTimeOffset(2026, 3, 1, 2, 0, 0, TimeSpan.Zero));
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Tccg:Storage:Root"] = _data,
            ["Tccg:Backup:Schedule"] = "03:30",
            ["Tccg:Backup:Dir"] = dir,
            ["Tccg:Backup:Keep"] = "2",
        }).Build();
        var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(config)
            .AddSingleton<TimeProvider>(time)
            .AddLogging()
            .AddTccgOptions()
            .AddTccgStorage();
        await using var provider = services.BuildServiceProvider();
        Directory.CreateDirectory(_data);
        await provider.GetRequiredService<MigrationRunner>().MigrateAsync(CancellationToken.None);
        await File.WriteAllTextAsync(Path.Combine(_data, "assets-note.txt"), "not backed up");
        Directory.CreateDirectory(Path.Combine(dir, "tccg-unfinished")); // no manifest: not the service's to prune
        Directory.CreateDirectory(Path.Combine(dir, "mine"));             // not a backup at all

        var nightly = ActivatorUtilities.CreateInstance<NightlyBackupService>(provider, NullLogger<NightlyBackupService>.Instance);
        await ((IHostedService)nightly).StartAsync(CancellationToken.None);
        try
        {
            // The service waits for 03:30 with one timer; a minute before it, nothing has been written.
            await time.NextTimerAsync();
            time.Advance(TimeSpan.FromMinutes(89));
            Assert.Empty(Backups(dir));

            // At 03:30 the backup runs; the service then sets the timer for the next night.
            time.Advance(TimeSpan.FromMinutes(1));
            await time.NextTimerAsync();
            Assert.Equal(["tccg-20260301-033000"], Backups(dir));
            var manifest = await BackupService.VerifyAsync(Path.Combine(dir, "tccg-20260301-033000"), CancellationToken.None);
            Assert.Equal(new DateTimeOffset(2026, 3, 1, 3, 30, 0, TimeSpan.Zero), manifest.CreatedAt);

            // Not again the same day, then once each night; Keep=2 leaves the two newest.
            time.Advance(TimeSpan.FromHours(23.9));
            Assert.Single(Backups(dir));
            time.Advance(TimeSpan.FromHours(0.1));
            await time.NextTimerAsync();
            time.Advance(TimeSpan.FromDays(1));
            await time.NextTimerAsync();
            Assert.Equal(["tccg-20260302-033000", "tccg-20260303-033000"], Backups(dir));
            Assert.True(Directory.Exists(Path.Combine(dir, "tccg-unfinished")) && Directory.Exists(Path.Combine(dir, "mine")),
                "the prune removed a folder that is no complete backup");
        }
        finally
        {
            await ((IHostedService)nightly).StopAsync(CancellationToken.None);
        }
    }

    private static List<string> Backups(string dir) =>
        !Directory.Exists(dir)
            ? []
            : [.. Directory.EnumerateDirectories(dir, NightlyBackupService.Prefix + "*")
                .Where(d => File.Exists(Path.Combine(d, BackupManifest.FileName)))
                .Select(d => Path.GetFileName(d)!)
                .Order(StringComparer.Ordinal)];

    /// <summary>A fake clock that tells the test each time a timer is made (the service waits with one timer per night).</summary>
    private sealed class TimerSignallingTime(DateTimeOffset start) : FakeTimeProvider(start)
    {
        private readonly SemaphoreSlim _timers = new(0);

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            var timer = base.CreateTimer(callback, state, dueTime, period);
            _timers.Release();
            return timer;
        }

        public async Task NextTimerAsync()
        {
            Assert.True(await _timers.WaitAsync(TimeSpan.FromSeconds(30)), "the nightly backup service set no timer");
        }
    }
}
