using System.Globalization;
using System.Text;

namespace Tccg.TwitchSim.World;

/// <summary>Builds a <see cref="SimWorld"/> from a seed: the same options and anchor always give the same world.</summary>
internal static class WorldGenerator
{
    private const int CreatorCount = 200;
    private static readonly DateTimeOffset LegacyFrom = new(2016, 6, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset LegacyTo = new(2018, 12, 31, 0, 0, 0, TimeSpan.Zero);

    public static SimWorld Generate(TwitchSimOptions options, DateTimeOffset anchor)
    {
        var random = new Random(options.Seed);
        var broadcasters = MakeBroadcasters(random, Math.Max(1, options.BroadcasterCount));
        var creators = MakeCreators(random);
        var specs = options.Games ?? TwitchSimOptions.DefaultGames;
        var games = specs.Select(s => new SimGame(s.Id, s.Name, IgdbId(s.Id))).ToList();
        var clips = new List<SimClip>(specs.Sum(s => s.ClipCount + options.LegacyClipsPerGame));
        var usedIds = new HashSet<string>(StringComparer.Ordinal);

        for (var g = 0; g < specs.Count; g++)
        {
            var spec = specs[g];
            // A per-game stream keeps one game's clips stable when another game's count changes.
            var gameRandom = new Random(unchecked((options.Seed * 486_187_739) ^ (int)StableHash(spec.Id)));
            var recent = new List<SimClip>(64);
            for (var i = 0; i < spec.ClipCount; i++)
            {
                var clip = recent.Count > 0 && gameRandom.NextDouble() < options.DuplicateRate
                    ? MakeDuplicate(gameRandom, options, recent[gameRandom.Next(recent.Count)], anchor, creators, usedIds)
                    : MakeClip(gameRandom, options, spec, g, anchor, broadcasters, creators, usedIds);
                clips.Add(clip);
                if (clip.VodOffset is not null)
                {
                    if (recent.Count == 64)
                        recent.RemoveAt(0);
                    recent.Add(clip);
                }
            }

            for (var i = 0; i < options.LegacyClipsPerGame; i++)
                clips.Add(MakeLegacy(gameRandom, options, spec, g, broadcasters, creators, usedIds));

            if (options.DistinctAudio && options.PlantedAudioPairsPerGame > 0)
            {
                var originals = clips.Where(c => string.Equals(c.GameId, spec.Id, StringComparison.Ordinal) && !c.IsLegacy
                    && c.Duration >= 8 && c.AudioTwinOf is null && c.Profile != MediaProfile.NoAudio720p30).ToList();
                var pairRandom = new Random(unchecked(options.Seed * 7919 + g));
                var planted = Math.Min(options.PlantedAudioPairsPerGame, originals.Count);
                foreach (var original in originals.OrderBy(_ => pairRandom.Next()).Take(planted).ToList())
                    clips.Add(MakeAudioTwin(pairRandom, options, original, broadcasters, creators, usedIds));
            }
        }

        var ordered = games.OrderByDescending(x => clips.Count(c => string.Equals(c.GameId, x.Id, StringComparison.Ordinal))).ToList();
        return new SimWorld(anchor, ordered, broadcasters, creators, clips);
    }

    private static SimClip MakeClip(Random random, TwitchSimOptions options, SimGameSpec spec, int gameIndex,
        DateTimeOffset anchor, List<SimUser> broadcasters, List<SimUser> creators, HashSet<string> usedIds)
    {
        var broadcaster = PickBroadcaster(random, broadcasters, gameIndex);
        var spanSeconds = Math.Max(1, (long)spec.Span.TotalSeconds);
        var createdAt = anchor.AddSeconds(-1 - (long)(random.NextDouble() * (spanSeconds - 1)));
        var duration = MakeDuration(random);
        var hasVod = random.NextDouble() >= options.NoVodRate;
        return new SimClip
        {
            Id = MakeSlug(random, usedIds),
            Broadcaster = broadcaster,
            Creator = creators[random.Next(creators.Count)],
            GameId = spec.Id,
            VideoId = hasVod ? VideoIdFor(broadcasters.IndexOf(broadcaster), createdAt) : "",
            VodOffset = hasVod ? Math.Max(0, (int)createdAt.TimeOfDay.TotalSeconds - (int)Math.Ceiling(duration)) : null,
            Language = broadcaster.Language,
            Title = MakeTitle(random, broadcaster.Language),
            ViewCount = MakeViews(random),
            CreatedAt = createdAt,
            Duration = duration,
            IsFeatured = random.NextDouble() < 0.1,
            Profile = PickProfile(random),
            HasPortrait = random.NextDouble() < options.PortraitRate,
            LeaksOutOfWindow = random.NextDouble() < options.OutOfWindowRate,
            AssetId = random.NextInt64(1_000_000_000L, 9_999_999_999L).ToString(CultureInfo.InvariantCulture),
            IsCreating = random.NextDouble() < options.CreatingRate,
        };
    }

    /// <summary>
    /// The same moment clipped on another channel (a co-stream): same audio from 0–2 s later, another broadcaster and
    /// creator, no VOD, its own video asset.
    /// </summary>
    private static SimClip MakeAudioTwin(Random random, TwitchSimOptions options, SimClip original, List<SimUser> broadcasters,
        List<SimUser> creators, HashSet<string> usedIds)
    {
        var others = broadcasters.Where(b => !string.Equals(b.Id, original.Broadcaster.Id, StringComparison.Ordinal)).ToList();
        var broadcaster = others.Count > 0 ? others[random.Next(others.Count)] : original.Broadcaster;
        return new SimClip
        {
            Id = MakeSlug(random, usedIds),
            Broadcaster = broadcaster,
            Creator = creators[random.Next(creators.Count)],
            GameId = original.GameId,
            VideoId = "",
            VodOffset = null,
            Language = broadcaster.Language,
            Title = MakeTitle(random, broadcaster.Language),
            ViewCount = MakeViews(random),
            CreatedAt = original.CreatedAt.AddSeconds(-random.Next(1, 60)),
            Duration = original.Duration,
            IsFeatured = false,
            Profile = original.Profile == MediaProfile.Landscape1080p60 ? MediaProfile.Landscape720p30 : MediaProfile.Landscape1080p60,
            HasPortrait = false,
            AssetId = random.NextInt64(1_000_000_000L, 9_999_999_999L).ToString(CultureInfo.InvariantCulture),
            AudioSeed = original.AudioSeed,
            AudioOffsetDeciseconds = original.AudioOffsetDeciseconds + random.Next(0, 21),
            AudioTwinOf = original.Id,
            IsCreating = false,
        };
    }

    /// <summary>Another clip of the same VOD moment: same channel and video, overlapping offsets, different id.</summary>
    private static SimClip MakeDuplicate(Random random, TwitchSimOptions options, SimClip original, DateTimeOffset anchor,
        List<SimUser> creators, HashSet<string> usedIds)
    {
        var duration = MakeDuration(random);
        return new SimClip
        {
            Id = MakeSlug(random, usedIds),
            Broadcaster = original.Broadcaster,
            Creator = creators[random.Next(creators.Count)],
            GameId = original.GameId,
            VideoId = original.VideoId,
            VodOffset = Math.Max(0, original.VodOffset!.Value + random.Next(-3, 4)),
            Language = original.Language,
            Title = MakeTitle(random, original.Language),
            ViewCount = MakeViews(random),
            CreatedAt = Earliest(original.CreatedAt.AddSeconds(random.Next(5, 300)), anchor.AddSeconds(-1)),
            Duration = duration,
            IsFeatured = false,
            Profile = original.Profile,
            HasPortrait = random.NextDouble() < options.PortraitRate,
            LeaksOutOfWindow = random.NextDouble() < options.OutOfWindowRate,
            AssetId = random.NextInt64(1_000_000_000L, 9_999_999_999L).ToString(CultureInfo.InvariantCulture),
            IsCreating = random.NextDouble() < options.CreatingRate,
        };
    }

    private static SimClip MakeLegacy(Random random, TwitchSimOptions options, SimGameSpec spec, int gameIndex,
        List<SimUser> broadcasters, List<SimUser> creators, HashSet<string> usedIds)
    {
        var broadcaster = PickBroadcaster(random, broadcasters, gameIndex);
        var createdAt = LegacyFrom.AddSeconds((long)(random.NextDouble() * (LegacyTo - LegacyFrom).TotalSeconds));
        var video = random.NextInt64(100_000_000L, 400_000_000L).ToString(CultureInfo.InvariantCulture);
        // Both legacy forms Twitch used: "{video}-offset-{seconds}" and "AT-cm|{id}" (%7C in URLs).
        var legacyName = random.Next(2) == 0
            ? string.Create(CultureInfo.InvariantCulture, $"{video}-offset-{random.Next(60, 20000)}")
            : string.Create(CultureInfo.InvariantCulture, $"AT-cm|{random.NextInt64(10_000_000L, 99_999_999_999L)}");
        return new SimClip
        {
            Id = MakeSlug(random, usedIds),
            Broadcaster = broadcaster,
            Creator = creators[random.Next(creators.Count)],
            GameId = spec.Id,
            VideoId = "",
            VodOffset = null,
            Language = broadcaster.Language,
            Title = MakeTitle(random, broadcaster.Language),
            ViewCount = MakeViews(random) * 3,
            CreatedAt = createdAt,
            Duration = random.Next(25, 61),
            IsFeatured = false,
            Profile = MediaProfile.Landscape720p30,
            HasPortrait = false,
            IsLegacy = true,
            LegacyMediaName = legacyName,
            AssetId = random.NextInt64(1_000_000_000L, 9_999_999_999L).ToString(CultureInfo.InvariantCulture),
            IsCreating = false,
        };
    }

    private static List<SimUser> MakeBroadcasters(Random random, int count)
    {
        var users = new List<SimUser>(count);
        var latin = 0;
        var nonLatin = 0;
        for (var i = 0; i < count; i++)
        {
            var id = (41_000_000L + (i * 7_919L)).ToString(CultureInfo.InvariantCulture);
            var created = new DateTimeOffset(2012, 1, 1, 0, 0, 0, TimeSpan.Zero).AddDays(random.Next(0, 4000));
            var type = (i % 7) switch { 0 => "partner", 1 or 2 => "affiliate", _ => "" };
            if (i % 3 == 2)
            {
                var (display, login, language) = NameBank.NonLatin[nonLatin % NameBank.NonLatin.Length];
                var suffix = nonLatin >= NameBank.NonLatin.Length ? (nonLatin / NameBank.NonLatin.Length).ToString(CultureInfo.InvariantCulture) : "";
                nonLatin++;
                users.Add(new SimUser(id, login + suffix, display + suffix, language, created, type, "配信してます / streaming daily"));
            }
            else
            {
                var display = NameBank.LatinDisplay[latin % NameBank.LatinDisplay.Length];
                var suffix = latin >= NameBank.LatinDisplay.Length ? (latin / NameBank.LatinDisplay.Length).ToString(CultureInfo.InvariantCulture) : "";
                latin++;
                var language = NameBank.LatinLanguages[random.Next(NameBank.LatinLanguages.Length)];
                users.Add(new SimUser(id, (display + suffix).ToLowerInvariant(), display + suffix, language, created, type, "Variety streamer."));
            }
        }

        return users;
    }

    private static List<SimUser> MakeCreators(Random random)
    {
        var users = new List<SimUser>(CreatorCount);
        for (var i = 0; i < CreatorCount; i++)
        {
            var id = (600_000_000L + (i * 104_729L)).ToString(CultureInfo.InvariantCulture);
            var display = string.Create(CultureInfo.InvariantCulture,
                $"{NameBank.SlugAdjectives[i % NameBank.SlugAdjectives.Length]}{NameBank.SlugAnimals[(i / NameBank.SlugAdjectives.Length) % NameBank.SlugAnimals.Length]}{i}");
            var created = new DateTimeOffset(2014, 1, 1, 0, 0, 0, TimeSpan.Zero).AddDays(random.Next(0, 4000));
            users.Add(new SimUser(id, display.ToLowerInvariant(), display, "en", created, "", ""));
        }

        return users;
    }

    private static SimUser PickBroadcaster(Random random, List<SimUser> broadcasters, int gameIndex)
    {
        // Zipf-like: a game's "home" channels get most of its clips.
        var skewed = (int)(broadcasters.Count * Math.Pow(random.NextDouble(), 2.5));
        return broadcasters[((gameIndex * 11) + skewed) % broadcasters.Count];
    }

    private static double MakeDuration(Random random)
    {
        var roll = random.NextDouble();
        if (roll < 0.25)
            return 30;                                  // the default clip length, serialised as an integer
        if (roll < 0.4)
            return random.Next(6, 61);                  // other whole seconds
        var value = Math.Round(5 + (random.NextDouble() * 55), 1);
        return value % 1 == 0 ? Math.Round(value + 0.3, 1) : value;    // fractional, e.g. 29.7
    }

    private static DateTimeOffset Earliest(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    private static int MakeViews(Random random) =>
        (int)Math.Min(3_000_000, Math.Floor(15 / Math.Pow(1 - random.NextDouble(), 1.3)));

    private static MediaProfile PickProfile(Random random) => random.NextDouble() switch
    {
        < 0.45 => MediaProfile.Landscape1080p60,
        < 0.78 => MediaProfile.Landscape720p30,
        < 0.93 => MediaProfile.Mono44k720p30,
        _ => MediaProfile.NoAudio720p30,
    };

    private static string MakeTitle(Random random, string language)
    {
        var pool = NameBank.TitlesByLanguage.TryGetValue(language, out var local) && random.NextDouble() < 0.8
            ? local
            : NameBank.TitlesEn;
        return pool[random.Next(pool.Length)];
    }

    private static string MakeSlug(Random random, HashSet<string> usedIds)
    {
        while (true)
        {
            var builder = new StringBuilder(64)
                .Append(NameBank.SlugAdjectives[random.Next(NameBank.SlugAdjectives.Length)])
                .Append(NameBank.SlugAdjectives[random.Next(NameBank.SlugAdjectives.Length)])
                .Append(NameBank.SlugAnimals[random.Next(NameBank.SlugAnimals.Length)])
                .Append(NameBank.SlugEmotes[random.Next(NameBank.SlugEmotes.Length)])
                .Append('-');
            for (var i = 0; i < 16; i++)
                builder.Append(NameBank.SlugSuffixAlphabet[random.Next(NameBank.SlugSuffixAlphabet.Length)]);
            var slug = builder.ToString();
            if (usedIds.Add(slug))
                return slug;
        }
    }

    private static string VideoIdFor(int broadcasterIndex, DateTimeOffset createdAt) =>
        (2_000_000_000L + (broadcasterIndex * 100_000L) + (createdAt.UtcDateTime.Date.Ticks / TimeSpan.TicksPerDay % 100_000))
            .ToString(CultureInfo.InvariantCulture);

    private static string IgdbId(string gameId) =>
        (StableHash(gameId) % 200_000).ToString(CultureInfo.InvariantCulture);

    /// <summary>FNV-1a: string.GetHashCode is randomised per process, this is not.</summary>
    internal static uint StableHash(string text)
    {
        var hash = 2166136261u;
        foreach (var ch in text)
        {
            hash ^= ch;
            hash *= 16777619u;
        }

        return hash;
    }
}
