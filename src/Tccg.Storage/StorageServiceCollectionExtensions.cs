using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Tccg.Core.Configuration;
using Tccg.Storage.Accounts;
using Tccg.Storage.Assets;
using Tccg.Storage.Clips;
using Tccg.Storage.Compilations;
using Tccg.Storage.Database;
using Tccg.Storage.Games;
using Tccg.Storage.Renders;

namespace Tccg.Storage;

public static class StorageServiceCollectionExtensions
{
    /// <summary>
    /// Registers the database (from <see cref="DatabaseOptions"/> and <see cref="StorageOptions"/>), the
    /// <see cref="MigrationRunner"/> and every store as singletons. Hosts run
    /// <c>services.GetRequiredService&lt;MigrationRunner&gt;().MigrateAsync(ct)</c> once at start.
    /// </summary>
    public static IServiceCollection AddTccgStorage(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp =>
        {
            var db = sp.GetRequiredService<IOptions<DatabaseOptions>>().Value;
            var storage = sp.GetRequiredService<IOptions<StorageOptions>>().Value;
            return new TccgDatabase(db.Provider, db.ResolveConnectionString(storage));
        });
        services.TryAddSingleton<MigrationRunner>();
        services.TryAddSingleton<IClipStore, ClipStore>();
        services.TryAddSingleton<IGameStore, GameStore>();
        services.TryAddSingleton<IUserStore, UserStore>();
        services.TryAddSingleton<ITokenStore, TokenStore>();
        services.TryAddSingleton<ILoginFailureStore, LoginFailureStore>();
        services.TryAddSingleton<IAssetStore, AssetStore>();
        services.TryAddSingleton<ICompilationStore, CompilationStore>();
        services.TryAddSingleton<IRenderJobStore, RenderJobStore>();
        services.TryAddSingleton<IRenderBatchStore, RenderBatchStore>();
        services.TryAddSingleton<Layouts.IStreamerLayoutStore, Layouts.StreamerLayoutStore>();
        services.TryAddSingleton<Servers.ILeaseStore, Servers.LeaseStore>();
        services.TryAddSingleton<Servers.IDataProtectionKeyStore, Servers.DataProtectionKeyStore>();
        services.TryAddSingleton<Backup.BackupService>();
        services.TryAddSingleton<Settings.ISettingsStore, Settings.SettingsStore>();
        services.TryAddSingleton<Settings.ITwitchConnectionStore, Settings.TwitchConnectionStore>();
        services.TryAddSingleton<Channels.IChannelStore, Channels.ChannelStore>();
        services.TryAddSingleton<Fingerprints.IFingerprintStore, Fingerprints.FingerprintStore>();
        return services;
    }

    /// <summary>
    /// Adds a hosted service that migrates the database when the host starts (before later hosted services
    /// start, so register it first). For long-running hosts; CLI verbs call the runner themselves.
    /// </summary>
    public static IServiceCollection AddTccgStorageMigrationAtStart(this IServiceCollection services)
    {
        services.AddTccgStorage();
        services.AddHostedService<MigrateAtStartService>();
        return services;
    }

    private sealed class MigrateAtStartService(MigrationRunner runner) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => runner.MigrateAsync(cancellationToken);

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
