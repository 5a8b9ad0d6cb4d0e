using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MySqlConnector;
using Tccg.Core.Configuration;
using Tccg.Storage.Database;

namespace Tccg.Storage.Backup;

/// <summary>
/// <c>tccg backup</c>, <c>tccg restore</c> and the server's nightly backup. A backup is a folder: the database
/// (SQLite's online backup API makes a consistent copy while the server writes; MariaDB is dumped by
/// <c>mariadb-dump --single-transaction</c>), the assets, renders, the Data Protection key-encryption key and,
/// when asked, the clip files, and a manifest with row counts and every file's SHA-256.
/// </summary>
public sealed class BackupService(
    TccgDatabase database,
    IOptions<StorageOptions> storage,
    TimeProvider time,
    ILogger<BackupService> logger)
{
    /// <summary>Folders of the data folder a backup copies (clips only with --with-clips).</summary>
    private static readonly string[] Folders = ["assets", "renders", "keys"];

    /// <summary>Tables whose row counts the manifest records (and a restore can be compared by).</summary>
    public static readonly string[] CountedTables = ["users", "games", "clips", "assets", "compilations", "compilation_items", "render_jobs"];

    public async Task<BackupManifest> BackupAsync(string to, bool withClips, IProgress<string>? progress, CancellationToken ct)
    {
        var target = Path.GetFullPath(to);
        if (Directory.Exists(target) && Directory.EnumerateFileSystemEntries(target).Any())
            throw new IOException($"The backup folder {target} is not empty; choose a new folder.");
        // A missing mariadb-dump stops the backup before anything is written.
        var dump = database.Provider == DatabaseProvider.MySql ? DumpCommand(database.ConnectionString) : default;
        Directory.CreateDirectory(target);
        var root = Path.GetFullPath(storage.Value.Root);
        var files = new List<BackupFile>();

        progress?.Report("database");
        IReadOnlyDictionary<string, long> counts;
        int schema;
        if (database.Provider == DatabaseProvider.Sqlite)
        {
            var copy = Path.Combine(target, BackupManifest.SqliteFile);
            await Task.Run(() =>
            {
                using var source = new SqliteConnection(database.ConnectionString);
                source.Open();
                using var destination = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = copy, Pooling = false }.ToString());
                destination.Open();
                source.BackupDatabase(destination);
            }, ct);
            // Counted in the copy itself, so the manifest describes exactly what was saved.
            (counts, schema) = await CountAsync(new TccgDatabase(DatabaseProvider.Sqlite, $"Data Source={copy};Pooling=False"), ct);
        }
        else
        {
            // Counted just before the dump: its snapshot may hold rows written in between (a restore has at least these).
            (counts, schema) = await CountAsync(database, ct);
            await using (var output = File.Create(Path.Combine(target, BackupManifest.MySqlDumpFile)))
                await RunAsync(dump.Program, dump.Args, dump.Password, null, output, ct);
        }
        files.Add(await DescribeAsync(target, database.Provider == DatabaseProvider.Sqlite ? BackupManifest.SqliteFile : BackupManifest.MySqlDumpFile, ct));

        foreach (var folder in withClips ? [.. Folders, "clips"] : Folders)
        {
            var source = Path.Combine(root, folder);
            if (!Directory.Exists(source))
                continue;
            progress?.Report(folder);
            foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
            {
                ct.ThrowIfCancellationRequested();
                var name = Path.GetFileName(file);
                if (name.StartsWith('.') || name.EndsWith(".tmp", StringComparison.Ordinal) || name.Contains(".tmp.", StringComparison.Ordinal))
                    continue; // a file still being written
                var relative = Path.GetRelativePath(root, file).Replace('\\', '/');
                var destination = Path.Combine(target, relative);
                Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
                try
                {
                    files.Add(await CopyAsync(file, destination, relative, ct));
                }
                catch (FileNotFoundException)
                {
                    // Deleted while the backup ran (retention, a removed render): the database copy may still name it.
                    logger.LogInformation("{File} went away during the backup", relative);
                }
            }
        }

        var manifest = new BackupManifest(BackupManifest.CurrentFormat, time.GetUtcNow(), database.Provider.ToString(), schema, withClips, counts, files);
        var json = Path.Combine(target, BackupManifest.FileName);
        await File.WriteAllTextAsync(json + ".tmp", JsonSerializer.Serialize(manifest, BackupManifest.Json), ct);
        File.Move(json + ".tmp", json);
        logger.LogInformation("Backup written to {Folder}: {Files} files, {Clips} clips, {Compilations} compilations",
            target, files.Count, counts.GetValueOrDefault("clips"), counts.GetValueOrDefault("compilations"));
        return manifest;
    }

    /// <summary>Reads the manifest and checks every file's size and checksum; throws <see cref="BackupCorruptException"/> naming the first bad file.</summary>
    public static async Task<BackupManifest> VerifyAsync(string from, CancellationToken ct)
    {
        var source = Path.GetFullPath(from);
        var path = Path.Combine(source, BackupManifest.FileName);
        if (!File.Exists(path))
            throw new BackupCorruptException(path, $"{path} is missing: {source} is not a complete Tccg backup.");
        BackupManifest? manifest;
        try
        {
            manifest = JsonSerializer.Deserialize<BackupManifest>(await File.ReadAllTextAsync(path, ct), BackupManifest.Json);
        }
        catch (JsonException e)
        {
            throw new BackupCorruptException(path, $"{path} is damaged: {e.Message}");
        }
        if (manifest is null || manifest.Format != BackupManifest.CurrentFormat || manifest.Files is null)
            throw new BackupCorruptException(path, $"{path} is not a backup manifest this version of tccg reads.");

        foreach (var file in manifest.Files)
        {
            ct.ThrowIfCancellationRequested();
            var full = Path.GetFullPath(Path.Combine(source, file.Path));
            if (!full.StartsWith(source + Path.DirectorySeparatorChar, StringComparison.Ordinal))
                throw new BackupCorruptException(file.Path, $"The manifest names {file.Path}, a path outside the backup folder.");
            if (!File.Exists(full))
                throw new BackupCorruptException(full, $"{full} is missing from the backup.");
            var actual = await HashAsync(full, ct);
            if (new FileInfo(full).Length != file.Size || actual != file.Sha256)
                throw new BackupCorruptException(full, $"{full} is damaged: its SHA-256 does not match the manifest (expected {file.Sha256[..12]}…, found {actual[..12]}…).");
        }
        return manifest;
    }

    /// <summary>
    /// Checks the backup, then copies it into the data folder <paramref name="dataDir"/> (new or empty). A SQLite
    /// backup becomes <c>tccg.db</c>; a MariaDB dump is loaded into <paramref name="mysqlTarget"/> (an empty database)
    /// with the <c>mariadb</c> client.
    /// </summary>
    public static async Task<BackupManifest> RestoreAsync(string from, string dataDir, string? mysqlTarget, IProgress<string>? progress, CancellationToken ct)
    {
        progress?.Report("checking");
        var manifest = await VerifyAsync(from, ct);
        var source = Path.GetFullPath(from);
        var target = Path.GetFullPath(dataDir);
        if (Directory.Exists(target) && Directory.EnumerateFileSystemEntries(target).Any())
            throw new IOException($"The data folder {target} is not empty; restore into a new folder.");
        // A MariaDB backup needs its target database and the client before any file is copied.
        string? loader = null;
        if (manifest.Provider == nameof(DatabaseProvider.MySql))
        {
            if (mysqlTarget is null)
                throw new InvalidOperationException(
                    $"This is a MariaDB backup: set Tccg:Database:Provider=MySql and a ConnectionString naming an empty database, then run the restore again (or load {Path.Combine(source, BackupManifest.MySqlDumpFile)} with `mariadb DATABASE < database.sql`).");
            loader = await CheckMySqlTargetAsync(Path.Combine(source, BackupManifest.MySqlDumpFile), mysqlTarget, ct);
        }
        Directory.CreateDirectory(target);
        foreach (var file in manifest.Files)
        {
            ct.ThrowIfCancellationRequested();
            var from1 = Path.Combine(source, file.Path);
            string destination;
            if (file.Path == BackupManifest.SqliteFile)
                destination = Path.Combine(target, "tccg.db");
            else if (file.Path == BackupManifest.MySqlDumpFile)
                continue;
            else
                destination = Path.Combine(target, file.Path);
            progress?.Report(file.Path);
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(from1, destination);
        }

        if (loader is not null)
        {
            progress?.Report("database");
            var b = new MySqlConnectionStringBuilder(mysqlTarget!);
            await using var input = File.OpenRead(Path.Combine(source, BackupManifest.MySqlDumpFile));
            await RunAsync(loader, ["-h", b.Server, "-P", b.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-u", b.UserID, b.Database], b.Password, input, null, ct);
        }
        return manifest;
    }

    private static async Task<(IReadOnlyDictionary<string, long>, int)> CountAsync(TccgDatabase db, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var table in CountedTables)
            counts[table] = await connection.ExecuteScalarAsync<long>(new CommandDefinition($"SELECT COUNT(*) FROM {table}", cancellationToken: ct));
        var schema = await connection.ExecuteScalarAsync<int?>(new CommandDefinition("SELECT MAX(version) FROM schema_version", cancellationToken: ct)) ?? 0;
        return (counts, schema);
    }

    /// <summary>The mariadb-dump (or mysqldump) command line for a connection string; the password goes in MYSQL_PWD.</summary>
    public static (string Program, List<string> Args, string Password) DumpCommand(string connectionString)
    {
        var b = new MySqlConnectionStringBuilder(connectionString);
        var program = FindProgram("mariadb-dump", "mysqldump")
            ?? throw new InvalidOperationException(
                $"mariadb-dump is not installed (apt-get install mariadb-client). Back the database up yourself with: mariadb-dump --single-transaction --routines --triggers --no-tablespaces -h {b.Server} -P {b.Port} -u {b.UserID} -p {b.Database} > database.sql");
        // --no-tablespaces: a user with rights on its one database only (as docs/deploy.md creates it) may not dump tablespaces.
        return (program, ["--single-transaction", "--routines", "--triggers", "--no-tablespaces", "--hex-blob", "--default-character-set=utf8mb4",
            "-h", b.Server, "-P", b.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-u", b.UserID, b.Database], b.Password);
    }

    /// <summary>The mariadb client's path, once the target database is known to be empty.</summary>
    private static async Task<string> CheckMySqlTargetAsync(string dump, string connectionString, CancellationToken ct)
    {
        var b = new MySqlConnectionStringBuilder(connectionString);
        var program = FindProgram("mariadb", "mysql")
            ?? throw new InvalidOperationException($"The mariadb client is not installed (apt-get install mariadb-client); load the dump yourself: mariadb -h {b.Server} -u {b.UserID} -p {b.Database} < {dump}");
        await using var connection = new MySqlConnection(connectionString);
        await connection.OpenAsync(ct);
        var tables = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = DATABASE()", cancellationToken: ct));
        if (tables > 0)
            throw new InvalidOperationException($"The database {b.Database} is not empty; restore into a new, empty database.");
        return program;
    }

    private static async Task RunAsync(string program, List<string> args, string password, Stream? stdin, Stream? stdout, CancellationToken ct)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = stdout is not null,
            RedirectStandardInput = stdin is not null,
        };
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        start.Environment["MYSQL_PWD"] = password;
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start.");
        var errors = process.StandardError.ReadToEndAsync(ct);
        var copyOut = stdout is null ? Task.CompletedTask : process.StandardOutput.BaseStream.CopyToAsync(stdout, ct);
        if (stdin is not null)
        {
            await stdin.CopyToAsync(process.StandardInput.BaseStream, ct);
            process.StandardInput.Close();
        }
        await copyOut;
        await process.WaitForExitAsync(ct);
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{Path.GetFileName(program)} failed (exit {process.ExitCode}): {(await errors).Trim()}");
    }

    private static string? FindProgram(params string[] names) =>
        names.SelectMany(n => (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin").Split(':').Select(d => Path.Combine(d, n)))
            .FirstOrDefault(File.Exists);

    private static async Task<BackupFile> DescribeAsync(string folder, string relative, CancellationToken ct)
    {
        var full = Path.Combine(folder, relative);
        return new BackupFile(relative, new FileInfo(full).Length, await HashAsync(full, ct));
    }

    /// <summary>Copies a file and hashes the bytes it wrote in one pass.</summary>
    private static async Task<BackupFile> CopyAsync(string from, string to, string relative, CancellationToken ct)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        await using var input = new FileStream(from, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1 << 16, useAsync: true);
        await using var output = new FileStream(to, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
        var buffer = new byte[1 << 16];
        long size = 0;
        int read;
        while ((read = await input.ReadAsync(buffer, ct)) > 0)
        {
            sha.AppendData(buffer, 0, read);
            await output.WriteAsync(buffer.AsMemory(0, read), ct);
            size += read;
        }
        return new BackupFile(relative, size, Convert.ToHexStringLower(sha.GetHashAndReset()));
    }

    private static async Task<string> HashAsync(string path, CancellationToken ct)
    {
        await using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, ct));
    }
}
