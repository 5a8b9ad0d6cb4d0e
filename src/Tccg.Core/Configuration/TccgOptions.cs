using System.ComponentModel.DataAnnotations;

namespace Tccg.Core.Configuration;

// Every options class names its configuration section so a validation message can name the exact key
// (docs/architecture.md, configuration in README.md). Error messages start with the full key: "Tccg:Database:Provider ...".

/// <summary>Which database holds the clip bin.</summary>
public enum DatabaseProvider
{
    Sqlite,
    MySql,
}

/// <summary><c>Tccg:Database</c>.</summary>
public sealed class DatabaseOptions
{
    public const string Section = "Tccg:Database";

    [EnumDataType(typeof(DatabaseProvider), ErrorMessage = Section + ":Provider must be Sqlite or MySql.")]
    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>Empty means <c>Data Source={Storage:Root}/tccg.db</c> for SQLite; required for MySql.</summary>
    public string ConnectionString { get; set; } = "";

    /// <summary>The connection string to use, with the SQLite default filled in.</summary>
    public string ResolveConnectionString(StorageOptions storage) =>
        ConnectionString.Length > 0 || Provider != DatabaseProvider.Sqlite
            ? ConnectionString
            : $"Data Source={Path.Combine(storage.Root, "tccg.db")}";
}

/// <summary><c>Tccg:Storage</c>: where the database file, clips, assets, renders and caches live.</summary>
public sealed class StorageOptions
{
    public const string Section = "Tccg:Storage";

    [Required(AllowEmptyStrings = false, ErrorMessage = Section + ":Root is required (a folder path).")]
    public string Root { get; set; } = "data";

    public string ClipsDir => Path.Combine(Root, "clips");
    public string AssetsDir => Path.Combine(Root, "assets");
    public string RendersDir => Path.Combine(Root, "renders");
    public string SegmentCacheDir => Path.Combine(Root, "cache", "segments");
    public string TempDir => Path.Combine(Root, "tmp");
}

/// <summary><c>Tccg:Twitch</c>: Helix credentials and every base URL (so a simulator or proxy can stand in).</summary>
public sealed class TwitchOptions
{
    public const string Section = "Tccg:Twitch";
    public const string DefaultGqlClientId = "kimne78kx3ncx6brgo4mv6wki5h1ko";
    public const string DefaultClipAccessHash = "66038e29eb00d8fd115b0ce1a1382dd9d41168739b08bc87dc042af6a730541f";

    /// <summary>Helix application client id; required for any call to Twitch.</summary>
    public string ClientId { get; set; } = "";

    /// <summary>Helix application client secret; required for any call to Twitch.</summary>
    public string ClientSecret { get; set; } = "";

    [Required(ErrorMessage = Section + ":AuthBaseUrl is required.")]
    [Url(ErrorMessage = Section + ":AuthBaseUrl must be an absolute http(s) URL.")]
    public string AuthBaseUrl { get; set; } = "https://id.twitch.tv";

    [Required(ErrorMessage = Section + ":HelixBaseUrl is required.")]
    [Url(ErrorMessage = Section + ":HelixBaseUrl must be an absolute http(s) URL.")]
    public string HelixBaseUrl { get; set; } = "https://api.twitch.tv/helix";

    [Required(ErrorMessage = Section + ":GqlUrl is required.")]
    [Url(ErrorMessage = Section + ":GqlUrl must be an absolute http(s) URL.")]
    public string GqlUrl { get; set; } = "https://gql.twitch.tv/gql";

    [Required(AllowEmptyStrings = false, ErrorMessage = Section + ":GqlClientId is required.")]
    public string GqlClientId { get; set; } = DefaultGqlClientId;

    /// <summary>A single ShareClipRenderStatus hash tried before <see cref="ClipAccessHashes"/>; empty by default.</summary>
    public string ClipAccessHash { get; set; } = "";

    /// <summary>ShareClipRenderStatus hashes tried in order, comma-separated.</summary>
    public string ClipAccessHashes { get; set; } = DefaultClipAccessHashes;

    /// <summary>Persisted-query hash of VideoAccessToken_Clip, tried after every ShareClipRenderStatus hash.</summary>
    public string VideoAccessTokenHash { get; set; } = DefaultVideoAccessTokenHash;

    /// <summary>Where Twitch sends the browser back after connecting an account; empty: the server's own URL and path base + <c>/api/v1/twitch/oauth/callback</c>.</summary>
    public string OAuthRedirectUrl { get; set; } = "";

    public const string DefaultClipAccessHashes = DefaultClipAccessHash + ",0a02bb974443b576f5579aab0fef1d4b7f44e58a8a256f0c5adfead0db70640f";
    public const string DefaultVideoAccessTokenHash = "993d9a5131f15a37bd16f32342c44ed1e0b1a9b968c6afdb662d2cddd595f6c5";

    /// <summary>Throws with the missing key's name when Helix credentials are absent.</summary>
    public void RequireCredentials()
    {
        if (string.IsNullOrWhiteSpace(ClientId))
            throw new OptionsKeyMissingException(Section + ":ClientId", "a Twitch application client id (dev.twitch.tv/console)");
        if (string.IsNullOrWhiteSpace(ClientSecret))
            throw new OptionsKeyMissingException(Section + ":ClientSecret", "the Twitch application client secret");
    }
}

/// <summary><c>Tccg:Server</c>.</summary>
public sealed class ServerOptions
{
    public const string Section = "Tccg:Server";

    /// <summary>Kestrel listen URLs, separated by ';'.</summary>
    [Required(AllowEmptyStrings = false, ErrorMessage = Section + ":Urls is required.")]
    public string Urls { get; set; } = "http://127.0.0.1:5080";

    /// <summary>Run a video generator inside the server process.</summary>
    public bool InProcessGenerator { get; set; } = true;

    /// <summary>Run the automatic finder and downloader for saved games.</summary>
    public bool Automation { get; set; } = true;

    [Range(1, 100_000, ErrorMessage = Section + ":MaxUploadMegabytes must be between 1 and 100000.")]
    public int MaxUploadMegabytes { get; set; } = 2048;

    [Range(2, 3600, ErrorMessage = Section + ":RenderLeaseSeconds must be between 2 and 3600.")]
    public int RenderLeaseSeconds { get; set; } = 60;

    [Range(1, 100, ErrorMessage = Section + ":RenderMaxAttempts must be between 1 and 100.")]
    public int RenderMaxAttempts { get; set; } = 3;

    /// <summary>A path prefix such as <c>/tccg</c> the whole server lives under (behind a proxy); empty for the root.</summary>
    [RegularExpression("^$|^(/[A-Za-z0-9._~-]+)+$", ErrorMessage = Section + ":PathBase must be empty or a path such as /tccg (starting with '/', no trailing '/').")]
    public string PathBase { get; set; } = "";

    /// <summary>Refuse plain HTTP (except health checks) and always mark cookies Secure.</summary>
    public bool RequireHttps { get; set; }

    /// <summary>How long a server holds the automation lease without renewing it before another server takes over.</summary>
    [Range(2, 3600, ErrorMessage = Section + ":AutomationLeaseSeconds must be between 2 and 3600.")]
    public int AutomationLeaseSeconds { get; set; } = 60;

    /// <summary>
    /// Origins (scheme://host[:port]) besides the server's own from which a browser may open the editor's circuit
    /// (<c>/_blazor</c>); empty by default: only the server's own origin.
    /// </summary>
    public string[] AllowedOrigins { get; set; } = [];

    /// <summary>
    /// ffmpeg runs at a time that make a just-downloaded clip's waveform, filmstrip and scrub proxy in the background
    /// (0: none; older clips and these then get them on first request).
    /// </summary>
    [Range(0, 16, ErrorMessage = Section + ":MediaPrepareParallelism must be between 0 and 16.")]
    public int MediaPrepareParallelism { get; set; } = 1;
}

/// <summary><c>Tccg:Server:ForwardedHeaders</c>: the reverse proxies whose X-Forwarded-* headers are believed.</summary>
public sealed class ForwardedHeadersSettings
{
    public const string Section = "Tccg:Server:ForwardedHeaders";

    /// <summary>Proxy addresses (e.g. 127.0.0.1); a list, or one string separated by ',' or ';'.</summary>
    public string[] KnownProxies { get; set; } = [];

    /// <summary>Proxy networks in CIDR form (e.g. 10.0.0.0/8).</summary>
    public string[] KnownNetworks { get; set; } = [];

    /// <summary>The entries of a list setting, with comma- or semicolon-separated strings split.</summary>
    public static IEnumerable<string> Entries(IEnumerable<string> values) =>
        values.SelectMany(v => v.Split([',', ';', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}

/// <summary><c>Tccg:Server:Certificate</c>: HTTPS without a proxy (Kestrel serves https:// URLs with it).</summary>
public sealed class CertificateOptions
{
    public const string Section = "Tccg:Server:Certificate";

    /// <summary>A PFX/PKCS#12 file, or a PEM certificate (chain) file; empty for none.</summary>
    public string Path { get; set; } = "";

    /// <summary>The PEM private key file when it is not inside <see cref="Path"/>.</summary>
    public string KeyPath { get; set; } = "";

    /// <summary>Password of the PFX file or of an encrypted PEM key.</summary>
    public string Password { get; set; } = "";
}

/// <summary><c>Tccg:Backup</c>: the server's nightly backup.</summary>
public sealed class BackupOptions
{
    public const string Section = "Tccg:Backup";

    /// <summary>Time of day (UTC, HH:mm) of the nightly backup; empty turns it off.</summary>
    [RegularExpression("^$|^([01][0-9]|2[0-3]):[0-5][0-9]$", ErrorMessage = Section + ":Schedule must be empty (off) or a UTC time of day such as 03:30.")]
    public string Schedule { get; set; } = "";

    /// <summary>Folder that receives one sub-folder per backup; empty means {Storage:Root}/backups.</summary>
    public string Dir { get; set; } = "";

    [Range(1, 1000, ErrorMessage = Section + ":Keep must be between 1 and 1000.")]
    public int Keep { get; set; } = 7;

    /// <summary>Copy the clip files too (they can be downloaded again; off by default).</summary>
    public bool WithClips { get; set; }

    /// <summary>The scheduled time of day, or null when off.</summary>
    public TimeOnly? TimeOfDay => Schedule.Length == 0 ? null : TimeOnly.ParseExact(Schedule, "HH:mm", System.Globalization.CultureInfo.InvariantCulture);

    public string ResolveDir(StorageOptions storage) => Dir.Length > 0 ? Dir : System.IO.Path.Combine(storage.Root, "backups");
}

/// <summary><c>Tccg:Generator</c>: defaults for rendering when a timeline leaves a setting out.</summary>
public sealed class GeneratorOptions
{
    public const string Section = "Tccg:Generator";

    [Range(16, 7680, ErrorMessage = Section + ":Width must be between 16 and 7680.")]
    public int Width { get; set; } = 1920;

    [Range(16, 4320, ErrorMessage = Section + ":Height must be between 16 and 4320.")]
    public int Height { get; set; } = 1080;

    [Range(1, 120, ErrorMessage = Section + ":Fps must be between 1 and 120.")]
    public int Fps { get; set; } = 30;

    /// <summary>A font file path or a fontconfig family name.</summary>
    [Required(AllowEmptyStrings = false, ErrorMessage = Section + ":Font is required.")]
    public string Font { get; set; } = "DejaVu Sans";

    public bool OverlayEnabled { get; set; } = true;

    [Required(AllowEmptyStrings = false, ErrorMessage = Section + ":OverlayColor is required.")]
    public string OverlayColor { get; set; } = "white";

    [Required(AllowEmptyStrings = false, ErrorMessage = Section + ":OverlayOutlineColor is required.")]
    public string OverlayOutlineColor { get; set; } = "black";

    [RegularExpression("^(top|bottom)-(left|right|center)$", ErrorMessage = Section + ":OverlayPosition must be top-left, top-center, top-right, bottom-left, bottom-center or bottom-right.")]
    public string OverlayPosition { get; set; } = "top-left";

    [Range(0, 3600, ErrorMessage = Section + ":OverlaySeconds must be between 0 and 3600.")]
    public double OverlaySeconds { get; set; } = 5;

    [Range(-70, -5, ErrorMessage = Section + ":LoudnessLufs must be between -70 and -5.")]
    public double LoudnessLufs { get; set; } = -14;

    [Range(-9, 0, ErrorMessage = Section + ":TruePeakDb must be between -9 and 0.")]
    public double TruePeakDb { get; set; } = -1;

    [RegularExpression(Tccg.Core.Compilations.EditorLimits.PresetPattern, ErrorMessage = Section + ":Preset must be an x264 preset (ultrafast … veryslow).")]
    public string Preset { get; set; } = "veryfast";

    [Range(0, 51, ErrorMessage = Section + ":Crf must be between 0 and 51.")]
    public int Crf { get; set; } = 20;

    [Range(32, 512, ErrorMessage = Section + ":AudioBitrateKbps must be between 32 and 512.")]
    public int AudioBitrateKbps { get; set; } = 192;

    /// <summary>Segments encoded at once; 0 means one per core, plus one.</summary>
    [Range(0, 64, ErrorMessage = Section + ":Parallelism must be between 0 and 64.")]
    public int Parallelism { get; set; }

    /// <summary>Size cap of a generator's input cache (clips and assets fetched from the server) in MB; 0 means unlimited.</summary>
    [Range(0, 100_000_000, ErrorMessage = Section + ":InputCacheMaxMb must be between 0 (unlimited) and 100000000.")]
    public int InputCacheMaxMb { get; set; } = 10_240;

    /// <summary>Size cap of the segment cache in MB; 0 means unlimited.</summary>
    [Range(0, 100_000_000, ErrorMessage = Section + ":SegmentCacheMaxMb must be between 0 (unlimited) and 100000000.")]
    public int SegmentCacheMaxMb { get; set; } = 10_240;

    /// <summary>A cap in MB as bytes (0 stays 0, unlimited).</summary>
    public static long Bytes(int megabytes) => Math.Max(0, (long)megabytes) * 1024 * 1024;
}

/// <summary><c>Tccg:Editor</c>: rules a compilation must meet before it may be submitted.</summary>
public sealed class EditorOptions
{
    public const string Section = "Tccg:Editor";
    public bool EnforceIntro { get; set; }
    public bool EnforceOutro { get; set; }
    public bool EnforceInterval { get; set; }
    public bool EnforceFirstClip { get; set; }

    /// <summary>Longest YouTube Shorts compilation in seconds (0: no limit); platforms change these.</summary>
    [Range(0, 86400, ErrorMessage = Section + ":ShortsMaxSeconds must be between 0 (no limit) and 86400.")]
    public int ShortsMaxSeconds { get; set; } = 180;

    [Range(0, 86400, ErrorMessage = Section + ":TikTokMaxSeconds must be between 0 (no limit) and 86400.")]
    public int TikTokMaxSeconds { get; set; } = 600;

    [Range(0, 86400, ErrorMessage = Section + ":ReelsMaxSeconds must be between 0 (no limit) and 86400.")]
    public int ReelsMaxSeconds { get; set; } = 180;
}

/// <summary><c>Tccg:Downloader</c>.</summary>
public sealed class DownloaderOptions
{
    public const string Section = "Tccg:Downloader";

    [Range(1, 32, ErrorMessage = Section + ":Parallelism must be between 1 and 32.")]
    public int Parallelism { get; set; } = 4;

    /// <summary>Downloaded files checked and measured at once (one ffmpeg each); 0 means one per processor core.</summary>
    [Range(0, 64, ErrorMessage = Section + ":AnalysisParallelism must be between 0 (one per core) and 64.")]
    public int AnalysisParallelism { get; set; }

    /// <summary><see cref="AnalysisParallelism"/> with 0 resolved to <see cref="Environment.ProcessorCount"/>.</summary>
    public int AnalysisWorkers => AnalysisParallelism > 0 ? AnalysisParallelism : Environment.ProcessorCount;

    [Range(1, 100, ErrorMessage = Section + ":MaxAttempts must be between 1 and 100.")]
    public int MaxAttempts { get; set; } = 6;

    /// <summary>Days a used clip's file is kept; -1 keeps it for ever, 0 deletes it at once.</summary>
    [Range(-1, 36500, ErrorMessage = Section + ":KeepUsedDays must be -1 (keep) or between 0 and 36500.")]
    public int KeepUsedDays { get; set; } = 7;

    /// <summary>Every downloaded clip gets a Chromaprint audio fingerprint, and clips sharing audio are marked Duplicate.</summary>
    public bool Fingerprint { get; set; } = true;

    /// <summary>Seconds of matching audio that make a downloaded clip a duplicate of one already in the bin.</summary>
    [Range(1.0, 600.0, ErrorMessage = Section + ":DuplicateAudioSeconds must be between 1 and 600.")]
    public double DuplicateAudioSeconds { get; set; } = 5;
}

/// <summary>A configuration key the current command needs is empty.</summary>
public sealed class OptionsKeyMissingException(string key, string what)
    : InvalidOperationException($"Configuration key {key} is not set: it must hold {what}. Set it in appsettings.json or as the environment variable {key.Replace(":", "__", StringComparison.Ordinal)}.")
{
    public string Key { get; } = key;
}
