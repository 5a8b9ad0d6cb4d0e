using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using Tccg.Core.Configuration;
using Tccg.Media.Probing;
using Tccg.Storage.Assets;
using Tccg.Core.Compilations;

namespace Tccg.Server.Features.Assets;

/// <summary>An upload's result: the stored asset, or the HTTP status and a problem title/detail.</summary>
public sealed record UploadOutcome(Asset? Asset, int Status, string Title, string? Detail = null)
{
    public static UploadOutcome Fail(int status, string title, string? detail = null) => new(null, status, title, detail);
}

/// <summary>
/// Streams a multipart upload (fields <c>kind</c> and <c>file</c>) to a temp file under the storage temp folder,
/// enforcing <c>Tccg:Server:MaxUploadMegabytes</c> while reading, probes it, and renames it into the assets
/// folder under a generated name. On any failure the temp file is deleted.
/// </summary>
public sealed partial class AssetUploader(
    IOptions<StorageOptions> storage, IOptions<ServerOptions> server, MediaProbe probe, IAssetStore assets, ILogger<AssetUploader> logger)
{
    /// <summary>Room for the multipart framing and the small fields around the file.</summary>
    private const long FramingSlack = 1 << 20;

    public long LimitBytes => server.Value.MaxUploadMegabytes * 1024L * 1024L;

    public async Task<UploadOutcome> UploadAsync(HttpContext http, long? ownerId, CancellationToken ct)
    {
        var request = http.Request;
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var contentType)
            || !contentType.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase)
            || HeaderUtilities.RemoveQuotes(contentType.Boundary).Length == 0)
            return UploadOutcome.Fail(StatusCodes.Status400BadRequest, "Send the upload as multipart/form-data with the fields kind and file.");
        if (request.ContentLength > LimitBytes + FramingSlack)
            return TooLarge();
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodyLimit)
            bodyLimit.MaxRequestBodySize = LimitBytes + FramingSlack;

        var tempDir = storage.Value.TempDir;
        Directory.CreateDirectory(tempDir);
        var temp = Path.Combine(tempDir, "upload-" + Guid.NewGuid().ToString("N") + ".part");
        try
        {
            var reader = new MultipartReader(HeaderUtilities.RemoveQuotes(contentType.Boundary).Value!, request.Body);
            string? kindText = null;
            string? uploadedName = null;
            long size = 0;
            MultipartSection? section;
            while ((section = await reader.ReadNextSectionAsync(ct)) is not null)
            {
                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition))
                    continue;
                var name = HeaderUtilities.RemoveQuotes(disposition.Name).Value;
                if (disposition.IsFileDisposition() && string.Equals(name, "file", StringComparison.Ordinal))
                {
                    if (uploadedName is not null)
                        return UploadOutcome.Fail(StatusCodes.Status400BadRequest, "Upload one file at a time.");
                    uploadedName = disposition.FileNameStar.HasValue ? disposition.FileNameStar.Value! : HeaderUtilities.RemoveQuotes(disposition.FileName).Value ?? "";
                    size = await CopyLimitedAsync(section.Body, temp, ct);
                    if (size < 0)
                        return TooLarge();
                }
                else if (string.Equals(name, "kind", StringComparison.Ordinal))
                {
                    kindText = await ReadSmallAsync(section.Body, ct);
                }
            }

            if (uploadedName is null)
                return UploadOutcome.Fail(StatusCodes.Status400BadRequest, "The upload has no file field.");
            if (AssetMediaRules.ParseKind(kindText) is not { } kind)
                return UploadOutcome.Fail(StatusCodes.Status400BadRequest, "The kind field must be intro, outro, interval, first or music.",
                    kindText is null ? "The upload has no kind field." : $"Got \"{Trim(kindText, 40)}\".");
            return await StoreAsync(temp, kind, DisplayName(uploadedName), size, ownerId, ct);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return TooLarge();
        }
        catch (Exception e) when (e is IOException or InvalidDataException or BadHttpRequestException && !ct.IsCancellationRequested)
        {
            return UploadOutcome.Fail(StatusCodes.Status400BadRequest, "The multipart body is malformed or was cut off.", e.Message);
        }
        finally
        {
            TryDelete(temp);
        }
    }

    private async Task<UploadOutcome> StoreAsync(string temp, AssetRole kind, string displayName, long size, long? ownerId, CancellationToken ct)
    {
        if (AssetMediaRules.StillImageType(await ReadHeadAsync(temp, ct)) is { } image)
            return UploadOutcome.Fail(StatusCodes.Status400BadRequest,
                $"\"{displayName}\" cannot be {AssetMediaRules.KindName(kind)}: the file is a still image ({image}), not {(kind == AssetRole.Music ? "audio" : "a video")}.");
        MediaFacts facts;
        try
        {
            facts = await probe.ProbeAsync(temp, ct);
        }
        catch (MediaProbeException e)
        {
            return UploadOutcome.Fail(StatusCodes.Status400BadRequest, $"\"{displayName}\" is not a usable media file.", "ffprobe: " + e.Reason);
        }
        if (AssetMediaRules.Problem(facts, kind) is { } problem)
            return UploadOutcome.Fail(StatusCodes.Status400BadRequest, $"\"{displayName}\" cannot be {AssetMediaRules.KindName(kind)}: {problem}.");
        if (AssetMediaRules.Extension(facts, kind, displayName) is not { } extension)
            return UploadOutcome.Fail(StatusCodes.Status400BadRequest, $"\"{displayName}\" uses a container format that is not supported ({facts.Format}).");

        var storedName = Guid.NewGuid().ToString("N") + "." + extension;
        var final = Path.Combine(storage.Value.AssetsDir, storedName);
        Directory.CreateDirectory(storage.Value.AssetsDir);
        File.Move(temp, final);
        try
        {
            var media = new Tccg.Storage.MediaFacts(facts.Width, facts.Height, facts.Fps, facts.VideoCodec, facts.AudioCodec,
                facts.HasAudio, facts.SampleRate, facts.Channels, facts.Duration);
            var asset = await assets.AddAsync(new NewAsset(ownerId, kind, displayName, storedName, size, media), ct);
            LogStored(logger, asset.Id, kind, storedName, size);
            return new UploadOutcome(asset, StatusCodes.Status201Created, "Created");
        }
        catch
        {
            TryDelete(final);
            throw;
        }
    }

    /// <summary>Copies to <paramref name="path"/>; returns the byte count, or -1 once the limit is passed (the file is then incomplete).</summary>
    private async Task<long> CopyLimitedAsync(Stream body, string path, CancellationToken ct)
    {
        var limit = LimitBytes;
        var buffer = new byte[81920];
        long total = 0;
        await using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.Asynchronous);
        int read;
        while ((read = await body.ReadAsync(buffer, ct)) > 0)
        {
            total += read;
            if (total > limit)
                return -1;
            await file.WriteAsync(buffer.AsMemory(0, read), ct);
        }
        return total;
    }

    private static async Task<byte[]> ReadHeadAsync(string path, CancellationToken ct)
    {
        var head = new byte[16];
        await using var file = File.OpenRead(path);
        var read = await file.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, ct);
        return head[..read];
    }

    private static async Task<string> ReadSmallAsync(Stream body, CancellationToken ct)
    {
        var buffer = new byte[256];
        var length = 0;
        int read;
        while ((read = await body.ReadAsync(buffer.AsMemory(length, buffer.Length - length), ct)) > 0)
        {
            length += read;
            if (length == buffer.Length)
                break;
        }
        return Encoding.UTF8.GetString(buffer, 0, length);
    }

    private UploadOutcome TooLarge() => UploadOutcome.Fail(StatusCodes.Status413PayloadTooLarge,
        $"The upload is larger than the limit of {server.Value.MaxUploadMegabytes.ToString(CultureInfo.InvariantCulture)} MB.",
        "The limit is Tccg:Server:MaxUploadMegabytes.");

    /// <summary>The uploaded name made safe to show: no folders, control characters, quotes or angle brackets; at most 120 characters.</summary>
    public static string DisplayName(string uploaded)
    {
        var name = uploaded.Replace('\\', '/');
        name = name[(name.LastIndexOf('/') + 1)..];
        var clean = new StringBuilder();
        foreach (var rune in name.EnumerateRunes())
        {
            if (Rune.IsControl(rune) || rune.Value is '"' or '<' or '>' or '`' || Rune.GetUnicodeCategory(rune) == UnicodeCategory.Format && rune.Value != 0x200D)
                continue;
            if (clean.Length + rune.Utf16SequenceLength > 120)
                break;
            clean.Append(rune.ToString());
        }
        var result = clean.ToString().Trim().TrimStart('.');
        return result.Length == 0 ? "upload" : result;
    }

    private static string Trim(string text, int max) => DisplayName(text.Length > max ? text[..max] : text);

    private void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException e)
        {
            LogDeleteFailed(logger, path, e.Message);
        }
        catch (UnauthorizedAccessException e)
        {
            LogDeleteFailed(logger, path, e.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Stored asset {AssetId} ({Kind}) as {StoredName}, {Size} bytes")]
    private static partial void LogStored(ILogger logger, long assetId, AssetRole kind, string storedName, long size);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not delete {Path}: {Error}")]
    private static partial void LogDeleteFailed(ILogger logger, string path, string error);
}
