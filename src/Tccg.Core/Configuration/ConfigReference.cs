using System.Globalization;
using System.Reflection;
using System.Text;
using System.Text.Json;

namespace Tccg.Core.Configuration;

/// <summary>One configuration key with its default and what it is for.</summary>
public sealed record ConfigKey(string Section, string Name, object? Default, Type Type, string Description)
{
    public string Path => $"{Section}:{Name}";
    public string EnvironmentVariable => Path.Replace(":", "__", StringComparison.Ordinal);
}

/// <summary>
/// Every configuration key, read from the options classes so the list cannot drift from the code.
/// <c>tccg init</c> writes it out as a commented appsettings.json.
/// </summary>
public static class ConfigReference
{
    /// <summary>Every options class with its section, listed once: registration, the start-up check and <c>tccg init</c> read this.</summary>
    public static readonly (Type Type, string Section, string Title)[] Sections =
    [
        (typeof(DatabaseOptions), DatabaseOptions.Section, "Database: Sqlite (embedded, default) or MySql (MySQL/MariaDB for a shared server)."),
        (typeof(StorageOptions), StorageOptions.Section, "Storage: the data folder (database file, clips, assets, renders, caches). --data DIR overrides Root."),
        (typeof(TwitchOptions), TwitchOptions.Section, "Twitch: Helix app credentials (dev.twitch.tv/console) and base URLs (point them at `tccg twitch-sim` to try offline)."),
        (typeof(ServerOptions), ServerOptions.Section, "Server: `tccg server`."),
        (typeof(GeneratorOptions), GeneratorOptions.Section, "Generator: render defaults for compilations that do not set their own."),
        (typeof(EditorOptions), EditorOptions.Section, "Editor rules: what a compilation must contain before it can be submitted."),
        (typeof(DownloaderOptions), DownloaderOptions.Section, "Downloader: clip downloads."),
        (typeof(ForwardedHeadersSettings), ForwardedHeadersSettings.Section, "Reverse proxy: X-Forwarded-For/Proto/Host are believed only from these addresses (empty: ignored). See docs/deploy.md."),
        (typeof(CertificateOptions), CertificateOptions.Section, "HTTPS without a proxy: a certificate for the https:// URLs in Server:Urls."),
        (typeof(BackupOptions), BackupOptions.Section, "Nightly backup by the server (the same as `tccg backup`)."),
    ];

    private static readonly Dictionary<string, string> Descriptions = new(StringComparer.Ordinal)
    {
        ["Tccg:Database:Provider"] = "Sqlite or MySql.",
        ["Tccg:Database:ConnectionString"] = "Empty: Data Source={Storage:Root}/tccg.db for Sqlite. Required for MySql, e.g. Server=127.0.0.1;Database=tccg;User ID=tccg;Password=secret",
        ["Tccg:Storage:Root"] = "Data folder; relative paths are relative to the current folder.",
        ["Tccg:Twitch:ClientId"] = "Helix application client id (required to talk to Twitch).",
        ["Tccg:Twitch:ClientSecret"] = "Helix application client secret (required to talk to Twitch).",
        ["Tccg:Twitch:AuthBaseUrl"] = "OAuth base URL (client-credentials tokens).",
        ["Tccg:Twitch:HelixBaseUrl"] = "Helix API base URL.",
        ["Tccg:Twitch:GqlUrl"] = "GQL endpoint used to resolve clip download URLs.",
        ["Tccg:Twitch:GqlClientId"] = "Client-ID header for GQL; Twitch changes it every few months.",
        ["Tccg:Twitch:ClipAccessHash"] = "One extra persisted-query hash of ShareClipRenderStatus, tried first when set (`tccg twitch set-hash` changes the hashes without a restart).",
        ["Tccg:Twitch:ClipAccessHashes"] = "ShareClipRenderStatus hashes tried in order, comma-separated; the first that Twitch still knows is used and remembered.",
        ["Tccg:Twitch:VideoAccessTokenHash"] = "Persisted-query hash of VideoAccessToken_Clip, the fallback after every ShareClipRenderStatus hash.",
        ["Tccg:Twitch:OAuthRedirectUrl"] = "Redirect URL registered for connecting Twitch accounts (official downloads); empty: {server URL}{PathBase}/api/v1/twitch/oauth/callback.",
        ["Tccg:Server:Urls"] = "Listen URLs, separated by ';'.",
        ["Tccg:Server:InProcessGenerator"] = "Run a video generator inside the server (one command is the whole system).",
        ["Tccg:Server:Automation"] = "Run the automatic finder and downloader for saved games.",
        ["Tccg:Server:MaxUploadMegabytes"] = "Largest asset upload accepted.",
        ["Tccg:Server:RenderLeaseSeconds"] = "How long a generator holds a render job without a heartbeat before it goes back to the queue.",
        ["Tccg:Server:RenderMaxAttempts"] = "Leases a render job may use up (generators that vanished) before it is marked failed.",
        ["Tccg:Server:AllowedOrigins"] = "Origins (scheme://host:port) besides the server's own from which a browser may open the editor's circuit.",
        ["Tccg:Server:MediaPrepareParallelism"] = "ffmpeg runs at a time that make a just-downloaded clip's waveform, filmstrip and scrub proxy in the background (0: none; clips then get them on first request).",
        ["Tccg:Generator:Width"] = "Output width in pixels.",
        ["Tccg:Generator:Height"] = "Output height in pixels.",
        ["Tccg:Generator:Fps"] = "Output frame rate.",
        ["Tccg:Generator:Font"] = "Overlay font: a font file path or a fontconfig family name.",
        ["Tccg:Generator:OverlayEnabled"] = "Show the streamer name over each clip.",
        ["Tccg:Generator:OverlayColor"] = "Overlay text colour (ffmpeg colour name or #RRGGBB).",
        ["Tccg:Generator:OverlayOutlineColor"] = "Overlay outline colour.",
        ["Tccg:Generator:OverlayPosition"] = "top-left, top-center, top-right, bottom-left, bottom-center or bottom-right.",
        ["Tccg:Generator:OverlaySeconds"] = "Seconds the name is shown at the start of each clip.",
        ["Tccg:Generator:LoudnessLufs"] = "Integrated loudness target (EBU R128).",
        ["Tccg:Generator:TruePeakDb"] = "True-peak ceiling in dBTP.",
        ["Tccg:Generator:Preset"] = "x264 preset.",
        ["Tccg:Generator:Crf"] = "x264 CRF (lower is better and larger).",
        ["Tccg:Generator:AudioBitrateKbps"] = "AAC bitrate.",
        ["Tccg:Generator:Parallelism"] = "Segment pictures encoded at once (one more ffmpeg makes the sound beside them); 0 means one per core, plus one (keeps the cores busy while a segment starts or finishes).",
        ["Tccg:Generator:InputCacheMaxMb"] = "Size cap (MB) of a generator's input cache (clips and assets fetched over HTTP); least recently used files are removed after each job. 0 means unlimited.",
        ["Tccg:Generator:SegmentCacheMaxMb"] = "Size cap (MB) of the segment cache (encoded segments reused by later renders); least recently used segments are removed after each job. 0 means unlimited.",
        ["Tccg:Editor:EnforceIntro"] = "A compilation must have an intro.",
        ["Tccg:Editor:EnforceOutro"] = "A compilation must have an outro.",
        ["Tccg:Editor:EnforceInterval"] = "A compilation must have an interval between clips.",
        ["Tccg:Editor:EnforceFirstClip"] = "A compilation must have a first clip.",
        ["Tccg:Editor:ShortsMaxSeconds"] = "Longest compilation (seconds) for the shorts target (YouTube Shorts); submit is refused with the excess. 0: no limit.",
        ["Tccg:Editor:TikTokMaxSeconds"] = "Longest compilation (seconds) for the tiktok target. 0: no limit.",
        ["Tccg:Editor:ReelsMaxSeconds"] = "Longest compilation (seconds) for the reels target (Instagram Reels). 0: no limit.",
        ["Tccg:Downloader:Parallelism"] = "Clip transfers at once (network-bound).",
        ["Tccg:Downloader:AnalysisParallelism"] = "Downloaded clips checked and measured at once (one ffmpeg each, CPU-bound); 0 is one per processor core.",
        ["Tccg:Downloader:MaxAttempts"] = "Failed downloads are retried with back-off up to this many attempts.",
        ["Tccg:Server:PathBase"] = "Path prefix the server lives under behind a proxy, e.g. /tccg (API, editor, static files and the editor's WebSocket); not one of the server's own paths (/api, /admin, …); empty for the root.",
        ["Tccg:Server:RequireHttps"] = "Refuse plain HTTP (health checks excepted), send HSTS and always mark cookies Secure.",
        ["Tccg:Server:AutomationLeaseSeconds"] = "Several servers on one database: the automatic finder/downloader runs in the server holding this lease; another takes over when it is not renewed for this long.",
        ["Tccg:Server:ForwardedHeaders:KnownProxies"] = "Addresses of trusted reverse proxies, e.g. [\"127.0.0.1\"].",
        ["Tccg:Server:ForwardedHeaders:KnownNetworks"] = "Networks of trusted reverse proxies in CIDR form, e.g. [\"10.0.0.0/8\"].",
        ["Tccg:Server:Certificate:Path"] = "A PFX file or a PEM certificate file; empty for none.",
        ["Tccg:Server:Certificate:KeyPath"] = "The PEM private key when it is not in Path.",
        ["Tccg:Server:Certificate:Password"] = "Password of the PFX file or of an encrypted PEM key.",
        ["Tccg:Backup:Schedule"] = "UTC time of day (HH:mm) of the nightly backup; empty turns it off.",
        ["Tccg:Backup:Dir"] = "Folder receiving one sub-folder per backup; empty is {Storage:Root}/backups.",
        ["Tccg:Backup:Keep"] = "Nightly backups kept; older ones are deleted.",
        ["Tccg:Backup:WithClips"] = "Copy the clip files too (they can be downloaded again).",
        ["Tccg:Downloader:KeepUsedDays"] = "Days a used clip's file is kept; -1 keeps it, 0 deletes it once rendered.",
        ["Tccg:Downloader:Fingerprint"] = "Take a Chromaprint audio fingerprint of every downloaded clip and mark clips sharing audio with one in the bin as Duplicate.",
        ["Tccg:Downloader:DuplicateAudioSeconds"] = "Seconds of matching audio that make a downloaded clip a duplicate of one already in the bin.",
    };

    /// <summary>All keys, in section order, with defaults taken from a fresh options instance.</summary>
    public static IReadOnlyList<ConfigKey> Keys { get; } = BuildKeys();

    private static List<ConfigKey> BuildKeys()
    {
        var keys = new List<ConfigKey>();
        foreach (var (type, section, _) in Sections)
        {
            var instance = Activator.CreateInstance(type)!;
            foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite))
            {
                var path = $"{section}:{property.Name}";
                if (!Descriptions.TryGetValue(path, out var description))
                    throw new InvalidOperationException($"{path} has no description in ConfigReference.");
                keys.Add(new ConfigKey(section, property.Name, property.GetValue(instance), property.PropertyType, description));
            }
        }

        return keys;
    }

    /// <summary>A commented appsettings.json holding every key at its default.</summary>
    public static string WriteAppSettings()
    {
        var sb = new StringBuilder();
        sb.AppendLine("// Tccg configuration. Every key is shown at its default; delete what you do not change.");
        sb.AppendLine("// Each key can also be set as an environment variable, e.g. Tccg__Twitch__ClientId,");
        sb.AppendLine("// or on the command line: tccg --set Tccg:Generator:Fps=60 ...");
        sb.AppendLine("{");
        sb.AppendLine("  \"Tccg\": {");
        for (var s = 0; s < Sections.Length; s++)
        {
            var (_, section, title) = Sections[s];
            var sectionName = section["Tccg:".Length..];
            sb.AppendLine(CultureInfo.InvariantCulture, $"    // {title}");
            sb.AppendLine(CultureInfo.InvariantCulture, $"    \"{sectionName}\": {{");
            var keys = Keys.Where(k => k.Section == section).ToList();
            for (var i = 0; i < keys.Count; i++)
            {
                var key = keys[i];
                sb.AppendLine(CultureInfo.InvariantCulture, $"      // {key.Description}");
                sb.Append(CultureInfo.InvariantCulture, $"      \"{key.Name}\": {FormatJson(key.Default)}");
                sb.AppendLine(i < keys.Count - 1 ? "," : "");
            }

            sb.AppendLine(s < Sections.Length - 1 ? "    }," : "    }");
        }

        sb.AppendLine("  }");
        sb.AppendLine("}");
        return sb.ToString();
    }

    /// <summary>A value as it is written in JSON (enums as their names).</summary>
    public static string FormatJson(object? value) => value switch
    {
        null => "null",
        Enum e => JsonSerializer.Serialize(e.ToString()),
        bool b => b ? "true" : "false",
        string[] list => JsonSerializer.Serialize(list),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => JsonSerializer.Serialize(value.ToString()),
    };
}
