using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Tccg.Core.Clips;
using Tccg.Core.Configuration;
using Tccg.Storage.Clips;
using Tccg.Storage.Fingerprints;

namespace Tccg.Twitch.Downloads;

/// <summary>A clip found to share audio with another: which one lost, which one it duplicates, and why.</summary>
public sealed record AudioDuplicate(long ClipId, long DuplicateOfId, string DuplicateOfTwitchId, AudioMatch Match, string Reason);

/// <summary>
/// The post-download fingerprint step (docs/twitch.md, audio duplicates): stores a downloaded clip's Chromaprint
/// fingerprint with its index keys, looks up the clips sharing keys with it (posting lists of its keys, not a scan of
/// the bin), aligns each candidate and, when one shares at least <c>Tccg:Downloader:DuplicateAudioSeconds</c> of audio,
/// marks the newer clip <see cref="ClipStatus.Duplicate"/> of the other with a reason. This catches what VOD facts
/// cannot: clips without a VOD, and the same moment clipped on two channels (co-streams, raids).
/// </summary>
public sealed class ClipFingerprinter(
    IFingerprintStore fingerprints,
    IClipStore clips,
    IOptions<DownloaderOptions> options,
    ILogger<ClipFingerprinter> logger)
{
    /// <summary>A candidate must share at least this many index keys before it is aligned.</summary>
    public const int MinSharedKeys = 4;

    /// <summary>At most this many candidates (most shared keys first) are aligned per clip.</summary>
    public const int MaxCandidates = 16;

    public bool Enabled => options.Value.Fingerprint;

    /// <summary>
    /// Stores the fingerprint of a clip just marked Downloaded and marks a duplicate when its audio is already in the bin.
    /// Of two clips sharing audio, the one downloaded first stays; when two are downloaded at once, the lower id stays.
    /// </summary>
    public async Task<AudioDuplicate?> RecordAsync(ClipRecord clip, uint[]? items, CancellationToken ct)
    {
        if (items is not { Length: > 0 })
            return null;
        await fingerprints.EnsureIndexedAsync(ct);
        await fingerprints.SaveAsync(clip.Id, items, ct);
        var found = await FindAsync(clip.Id, items, ct);
        if (found is null)
            return null;
        var (other, match) = found.Value;
        // The clip already in the bin stays. A candidate with a higher id that is only Downloaded was downloaded at the
        // same time as this one; both runs then agree the higher id is the duplicate.
        var (loserId, winnerId, winnerTwitchId, loserTwitchId) = other.Status == ClipStatus.Downloaded && other.ClipId > clip.Id
            ? (other.ClipId, clip.Id, clip.TwitchClipId, other.TwitchClipId)
            : (clip.Id, other.ClipId, other.TwitchClipId, clip.TwitchClipId);
        var reason = string.Create(CultureInfo.InvariantCulture,
            $"same audio as clip {winnerTwitchId} for {match.Seconds:0.0} s (audio fingerprint)");
        try
        {
            await clips.MarkDuplicateAsync(loserId, winnerId, reason, ct);
        }
        catch (IllegalClipTransitionException e)
        {
            // Already moved (used, duplicate of another, deleted on Twitch): its status stands.
            logger.LogInformation("Clip {ClipId} shares audio with {Other} but stays: {Message}", loserTwitchId, winnerTwitchId, e.Message);
            return null;
        }
        logger.LogInformation("Clip {ClipId} is a duplicate of {Other}: {Reason}", loserTwitchId, winnerTwitchId, reason);
        return new AudioDuplicate(loserId, winnerId, winnerTwitchId, match, reason);
    }

    /// <summary>The clip in the bin (Downloaded or Used) sharing the most audio with <paramref name="items"/>, if it reaches the threshold.</summary>
    public async Task<(StoredFingerprint Other, AudioMatch Match)?> FindAsync(long clipId, uint[] items, CancellationToken ct)
    {
        var candidates = await fingerprints.CandidatesAsync(AudioFingerprint.Keys(items), clipId, MinSharedKeys, MaxCandidates, ct);
        if (candidates.Count == 0)
            return null;
        var stored = await fingerprints.GetManyAsync([.. candidates.Select(c => c.ClipId)], ct);
        (StoredFingerprint, AudioMatch)? best = null;
        foreach (var other in stored)
        {
            if (other.Status is not (ClipStatus.Downloaded or ClipStatus.Used))
                continue;
            var match = AudioFingerprint.Compare(items, other.Items);
            if (match is null || match.Seconds < options.Value.DuplicateAudioSeconds)
                continue;
            if (best is null || match.Seconds > best.Value.Item2.Seconds
                || (match.Seconds == best.Value.Item2.Seconds && other.ClipId < best.Value.Item1.ClipId))
                best = (other, match);
        }
        return best;
    }
}
