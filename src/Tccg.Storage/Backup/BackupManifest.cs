using System.Text.Json;
using System.Text.Json.Serialization;

namespace Tccg.Storage.Backup;

/// <summary><c>manifest.json</c> of a backup folder: what it holds, how many rows, and every file's size and SHA-256.</summary>
public sealed record BackupManifest(
    int Format,
    DateTimeOffset CreatedAt,
    string Provider,
    int SchemaVersion,
    bool WithClips,
    IReadOnlyDictionary<string, long> Counts,
    IReadOnlyList<BackupFile> Files)
{
    public const string FileName = "manifest.json";
    public const int CurrentFormat = 1;

    /// <summary>The database copy: a SQLite file, or a mariadb-dump SQL script.</summary>
    public const string SqliteFile = "database.sqlite";
    public const string MySqlDumpFile = "database.sql";

    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter() },
    };
}

/// <summary>One file of a backup, by its path relative to the backup folder ('/'-separated).</summary>
public sealed record BackupFile(string Path, long Size, string Sha256);

/// <summary>A backup folder that cannot be restored: a file is missing, damaged or the manifest is unreadable. The message names the file.</summary>
public sealed class BackupCorruptException(string file, string message) : Exception(message)
{
    public string File { get; } = file;
}
