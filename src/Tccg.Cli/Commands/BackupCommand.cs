using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Tccg.Core.Configuration;
using Tccg.Storage;
using Tccg.Storage.Backup;
using Tccg.Storage.Database;

namespace Tccg.Cli.Commands;

/// <summary><c>tccg backup --to DIR</c> and <c>tccg restore --from DIR --data NEWDIR</c>.</summary>
internal static class BackupCommand
{
    public static Command Backup()
    {
        var to = new Option<string>("--to") { Description = "New or empty folder to write the backup into", HelpName = "DIR", Required = true };
        var withClips = new Option<bool>("--with-clips") { Description = "Copy the clip files too (they can be downloaded again, so they are left out by default)" };
        var command = new Command("backup",
            "Write a consistent copy of the database, assets, renders and keys (and clips with --with-clips) while the server runs, with a manifest of counts and checksums")
        {
            to, withClips,
        };
        command.SetAction(async (parse, ct) =>
        {
            using var host = await AccountsCli.StartAsync(parse, ct);
            var output = parse.InvocationConfiguration.Output;
            var progress = new Progress<string>(step => output.WriteLine($"  {step}…"));
            var manifest = await host.Services.GetRequiredService<BackupService>().BackupAsync(parse.GetValue(to)!, parse.GetValue(withClips), progress, ct);
            await output.WriteLineAsync($"Backup written to {Path.GetFullPath(parse.GetValue(to)!)}: {Describe(manifest)}.");
            return TccgCli.ExitOk;
        });
        return command;
    }

    public static Command Restore()
    {
        var from = new Option<string>("--from") { Description = "The backup folder (checked against its manifest first)", HelpName = "DIR", Required = true };
        var command = new Command("restore",
            "Check a backup's checksums and restore it into a new data folder (--data NEWDIR); a MariaDB backup is loaded into the configured, empty database")
        {
            from,
        };
        command.SetAction(async (parse, ct) =>
        {
            if (parse.GetValue(GlobalOptions.Data) is null)
                throw new CliUsageException("restore needs --data NEWDIR, the new data folder to restore into.");
            using var host = CliHost.Build(parse);
            var storage = host.Services.GetRequiredService<IOptions<StorageOptions>>().Value;
            var database = host.Services.GetRequiredService<IOptions<DatabaseOptions>>().Value;
            var mysql = database.Provider == DatabaseProvider.MySql ? database.ConnectionString : null;
            var output = parse.InvocationConfiguration.Output;
            var progress = new Progress<string>(step => output.WriteLine($"  {step}"));
            BackupManifest manifest;
            try
            {
                manifest = await BackupService.RestoreAsync(parse.GetValue(from)!, storage.Root, mysql, progress, ct);
            }
            catch (BackupCorruptException e)
            {
                throw new CliException("The backup cannot be restored: " + e.Message);
            }
            catch (IOException e)
            {
                throw new CliException(e.Message);
            }
            var start = mysql is null
                ? $"Start it with `tccg server --data {storage.Root}`."
                : $"The database went into {new MySqlConnector.MySqlConnectionStringBuilder(mysql).Database}; start it with `tccg server --data {storage.Root}` and these Tccg:Database settings.";
            await output.WriteLineAsync($"Restored into {Path.GetFullPath(storage.Root)}: {Describe(manifest)}. {start}");
            return TccgCli.ExitOk;
        });
        return command;
    }

    private static string Describe(BackupManifest m)
    {
        var bytes = m.Files.Sum(f => f.Size);
        var counts = string.Join(", ", m.Counts.Select(c => $"{c.Key} {c.Value.ToString(CultureInfo.InvariantCulture)}"));
        return $"{m.Files.Count} files, {(bytes / 1048576.0).ToString("0.0", CultureInfo.InvariantCulture)} MB ({counts})";
    }
}
