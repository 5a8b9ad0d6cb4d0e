using System.Text.RegularExpressions;
using Dapper;
using Tccg.Storage.Database;
using Tccg.Core.Compilations;

namespace Tccg.Storage.Assets;

/// <summary>An uploaded file. <see cref="OriginalName"/> is for display only; the file on disk is <see cref="StoredName"/>.</summary>
public sealed class Asset
{
    public long Id { get; init; }
    public long? OwnerId { get; init; }
    public AssetRole Kind { get; init; }
    public string OriginalName { get; init; } = "";
    public string StoredName { get; init; } = "";
    public long Size { get; init; }
    public int? Width { get; init; }
    public int? Height { get; init; }
    public double? Fps { get; init; }
    public string? VideoCodec { get; init; }
    public string? AudioCodec { get; init; }
    public bool? HasAudio { get; init; }
    public int? SampleRate { get; init; }
    public int? Channels { get; init; }
    public double? MediaDuration { get; init; }
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>The probed facts (music has no width/height: they are 0 then).</summary>
    public MediaFacts? Media => MediaDuration is { } duration
        ? new MediaFacts(Width ?? 0, Height ?? 0, Fps ?? 0, VideoCodec, AudioCodec, HasAudio ?? false, SampleRate ?? 0, Channels ?? 0, duration)
        : null;
}

/// <param name="StoredName">Use <see cref="AssetStore.NewStoredName"/>; never the uploaded name.</param>
public sealed record NewAsset(long? OwnerId, AssetRole Kind, string OriginalName, string StoredName, long Size, MediaFacts? Media);

public interface IAssetStore
{
    Task<Asset> AddAsync(NewAsset asset, CancellationToken ct);

    Task<Asset?> GetAsync(long id, CancellationToken ct);

    /// <summary>Newest first; every kind when <paramref name="kind"/> is null.</summary>
    Task<IReadOnlyList<Asset>> ListAsync(AssetRole? kind, CancellationToken ct);

    Task<bool> DeleteAsync(long id, CancellationToken ct);
}

public sealed partial class AssetStore(TccgDatabase database, TimeProvider time) : IAssetStore
{
    /// <summary>A fresh file name for an upload: a random id plus the original extension when it is short and plain.</summary>
    public static string NewStoredName(string originalName)
    {
        var extension = Path.GetExtension(originalName).ToLowerInvariant();
        return Guid.NewGuid().ToString("N") + (PlainExtension().IsMatch(extension) ? extension : "");
    }

    public async Task<Asset> AddAsync(NewAsset asset, CancellationToken ct)
    {
        var created = Db.Ms(time.GetUtcNow());
        var media = asset.Media;
        await using var connection = await database.OpenAsync(ct);
        var id = await connection.ExecuteScalarAsync<long>(new CommandDefinition("""
            INSERT INTO assets (owner_id, kind, original_name, stored_name, size, width, height, fps, video_codec,
              audio_codec, has_audio, sample_rate, channels, media_duration, created_at)
            VALUES (@OwnerId, @Kind, @OriginalName, @StoredName, @Size, @Width, @Height, @Fps, @VideoCodec,
              @AudioCodec, @HasAudio, @SampleRate, @Channels, @Duration, @Created)
            RETURNING id
            """, new
        {
            asset.OwnerId, Kind = Db.Name(asset.Kind), asset.OriginalName, asset.StoredName, asset.Size,
            media?.Width, media?.Height, media?.Fps, media?.VideoCodec, media?.AudioCodec, media?.HasAudio,
            media?.SampleRate, media?.Channels, media?.Duration, Created = created,
        }, cancellationToken: ct));
        return (await GetAsync(id, ct))!;
    }

    public async Task<Asset?> GetAsync(long id, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<Asset>(new CommandDefinition(
            "SELECT * FROM assets WHERE id = @id", new { id }, cancellationToken: ct));
    }

    public async Task<IReadOnlyList<Asset>> ListAsync(AssetRole? kind, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return (await connection.QueryAsync<Asset>(new CommandDefinition(
            "SELECT * FROM assets" + (kind is null ? "" : " WHERE kind = @Kind") + " ORDER BY created_at DESC, id DESC",
            new { Kind = kind is { } k ? Db.Name(k) : null }, cancellationToken: ct))).AsList();
    }

    public async Task<bool> DeleteAsync(long id, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.ExecuteAsync(new CommandDefinition("DELETE FROM assets WHERE id = @id", new { id }, cancellationToken: ct)) == 1;
    }

    [GeneratedRegex("^\\.[a-z0-9]{1,5}$", RegexOptions.CultureInvariant)]
    private static partial Regex PlainExtension();
}
