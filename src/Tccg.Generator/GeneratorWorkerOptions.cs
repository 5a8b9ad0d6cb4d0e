using Tccg.Core.Configuration;

namespace Tccg.Generator;

/// <summary>How one generator works: its name, where it caches, and its timings.</summary>
public sealed class GeneratorWorkerOptions
{
    /// <summary>Shown as the lease owner on the server.</summary>
    public string Name { get; set; } = Environment.MachineName;

    /// <summary>Input cache (<c>files/</c>, <c>meta/</c>), segment cache (<c>segments/</c>) and work folders (<c>work/</c>).</summary>
    public required string CacheDir { get; set; }

    /// <summary>
    /// When set, inputs are read straight from this storage root instead of being fetched over HTTP
    /// (the in-process generator, which shares the server's disk).
    /// </summary>
    public string? LocalStorageRoot { get; set; }

    /// <summary>Segment cache; default <c>{CacheDir}/segments</c>.</summary>
    public string? SegmentCacheDir { get; set; }

    /// <summary>Where a job's outputs are written before upload; default <c>{CacheDir}/work</c>.</summary>
    public string? WorkDir { get; set; }

    /// <summary>How long one lease request waits for a job (at most 25 s).</summary>
    public TimeSpan LeaseWait { get; set; } = TimeSpan.FromSeconds(25);

    /// <summary>Progress goes to the server at most this often.</summary>
    public TimeSpan ProgressInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Heartbeat period; default a third of the lease the server grants.</summary>
    public TimeSpan? HeartbeatInterval { get; set; }

    /// <summary>Pause after the server could not be reached, before asking again.</summary>
    public TimeSpan ErrorBackoff { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>Segments encoded at once; null uses <c>Tccg:Generator:Parallelism</c>.</summary>
    public int? Parallelism { get; set; }

    /// <summary>Size cap of the input cache, trimmed after every job; 0 means unlimited (<c>Tccg:Generator:InputCacheMaxMb</c>).</summary>
    public long InputCacheMaxBytes { get; set; } = GeneratorOptions.Bytes(new GeneratorOptions().InputCacheMaxMb);

    /// <summary>Size cap of the segment cache, trimmed by the renderer after every render; 0 means unlimited (<c>Tccg:Generator:SegmentCacheMaxMb</c>).</summary>
    public long SegmentCacheMaxBytes { get; set; } = GeneratorOptions.Bytes(new GeneratorOptions().SegmentCacheMaxMb);

    /// <summary>Both caps from the configuration.</summary>
    public GeneratorWorkerOptions WithCacheCaps(GeneratorOptions generator)
    {
        InputCacheMaxBytes = GeneratorOptions.Bytes(generator.InputCacheMaxMb);
        SegmentCacheMaxBytes = GeneratorOptions.Bytes(generator.SegmentCacheMaxMb);
        return this;
    }

    internal string Segments => SegmentCacheDir ?? Path.Combine(CacheDir, "segments");
    internal string Work => WorkDir ?? Path.Combine(CacheDir, "work");
}

/// <summary>What happened to one leased job.</summary>
public enum JobOutcome
{
    Succeeded,
    Failed,
    /// <summary>The server took the job away (lease expired elsewhere, or cancelled).</summary>
    LeaseLost,
    /// <summary>This generator stopped; the job goes back to the queue when its lease expires.</summary>
    Abandoned,
}

/// <summary>A generator's state for front ends (the CLI's progress line, tests).</summary>
public sealed record GeneratorStatus(long JobId, string Stage, double Percent, TimeSpan? Eta, JobOutcome? Outcome = null, string? Error = null);
