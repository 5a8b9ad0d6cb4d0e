using Microsoft.Extensions.DependencyInjection;
using Tccg.Core.Clips;
using Tccg.Core.Twitch;
using Tccg.Storage.Fingerprints;
using Tccg.Twitch.Downloads;

namespace Tccg.Twitch.Tests;

public sealed class AudioDuplicateTests
{
    [Fact]
    public async Task Download_PlantedAudioPairs_AreMarkedDuplicateAndDistinctClipsAreNot()
    {
        // Clips of distinct audio (each its own melody), plus planted pairs: the same audio from 0–2 s later on
        // another channel, without a VOD and with another video.
        await using var world = await TwitchWorld.StartAsync(clips: 24, sim: o =>
        {
            o.DistinctAudio = true;
            o.PlantedAudioPairsPerGame = 4;
            o.NoVodRate = 1;           // VOD facts cannot tell any of them apart
            o.DuplicateRate = 0;
            o.PortraitRate = 0;
        });
        var game = await world.AddGameAsync();
        await world.Finder.FindAsync(game, ClipPeriod.Week, null, CancellationToken.None);
        var result = await world.Downloader.DownloadAsync(new DownloadRequest(null, 100), null, CancellationToken.None);
        Assert.True(result.Downloaded > 20, $"{result.Downloaded} downloaded");

        var stored = (await world.AllClipsAsync()).ToDictionary(c => c.TwitchClipId);
        var simClips = world.Sim.World.Clips.Where(c => stored.ContainsKey(c.Id)).ToList();
        var twins = simClips.Where(c => c.AudioTwinOf is not null && stored.ContainsKey(c.AudioTwinOf)
            && c.Profile != Tccg.TwitchSim.World.MediaProfile.NoAudio720p30).ToList();
        Assert.NotEmpty(twins);
        Assert.Equal(await world.Services.GetRequiredService<IFingerprintStore>().CountAsync(CancellationToken.None),
            stored.Values.Count(c => c.Status is ClipStatus.Downloaded or ClipStatus.Duplicate && c.HasAudio == true));

        foreach (var twin in twins)
        {
            var a = stored[twin.Id];
            var b = stored[twin.AudioTwinOf!];
            // Exactly one of the pair is a duplicate of the other: the review queue never shows both.
            var duplicate = a.Status == ClipStatus.Duplicate ? a : b;
            var kept = ReferenceEquals(duplicate, a) ? b : a;
            Assert.Equal(ClipStatus.Duplicate, duplicate.Status);
            Assert.Equal(ClipStatus.Downloaded, kept.Status);
            Assert.Equal(kept.Id, duplicate.DuplicateOf);
            Assert.Contains("same audio as clip " + kept.TwitchClipId, duplicate.LastError, StringComparison.Ordinal);
        }
        var planted = twins.SelectMany(t => new[] { t.Id, t.AudioTwinOf! }).ToHashSet(StringComparer.Ordinal);
        var falseDuplicates = stored.Values.Where(c => c.Status == ClipStatus.Duplicate && !planted.Contains(c.TwitchClipId)).ToList();
        Assert.Empty(falseDuplicates);
    }

    [Fact]
    public void Compare_SameAudioShiftedAndReencoded_MatchesWhileUnrelatedDoesNot()
    {
        var random = new Random(5);
        var original = Enumerable.Range(0, 80).Select(_ => (uint)random.NextInt64(0, uint.MaxValue)).ToArray();
        // The same audio 12 items later, with a few flipped bits per item (another encode, a sub-item shift).
        var shifted = original.Skip(12).Select(v => v ^ (1u << random.Next(32)) ^ (1u << random.Next(32))).ToArray();
        var unrelated = Enumerable.Range(0, 80).Select(_ => (uint)random.NextInt64(0, uint.MaxValue)).ToArray();

        var match = AudioFingerprint.Compare(original, shifted);
        Assert.NotNull(match);
        Assert.Equal(12, match.Offset);
        Assert.True(match.Seconds > 8, $"{match.Seconds} s");
        var unrelatedMatch = AudioFingerprint.Compare(original, unrelated);
        Assert.True(unrelatedMatch is null || unrelatedMatch.Seconds < 5, $"unrelated audio matched for {unrelatedMatch?.Seconds} s");
        Assert.Equal(original, AudioFingerprint.FromBytes(AudioFingerprint.ToBytes(original)));
    }
}
