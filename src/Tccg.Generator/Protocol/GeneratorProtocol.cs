using Tccg.Core.Timeline;

namespace Tccg.Generator.Protocol;

/// <summary>
/// The generator protocol under <c>/api/v1/generator</c> (worker tokens): lease (long poll), heartbeat,
/// progress, inputs, outputs, complete, fail. The server and every generator share these records.
/// </summary>
public static class GeneratorRoutes
{
    public const string Prefix = "/api/v1/generator";
    public const string OutputVideo = "video";
    public const string OutputCredits = "credits";
    public const string OutputThumbnail = "thumbnail";

    /// <summary>The longest a lease request waits for a job before it answers 204.</summary>
    public static readonly TimeSpan MaxLeaseWait = TimeSpan.FromSeconds(25);

    public static string Lease(TimeSpan wait) =>
        $"{Prefix}/lease?wait={Math.Clamp((int)Math.Ceiling(wait.TotalSeconds), 0, (int)MaxLeaseWait.TotalSeconds)}";

    public static string Job(long jobId, string action) => $"{Prefix}/jobs/{jobId}/{action}";

    public static string Input(long jobId, string path) => $"{Prefix}/jobs/{jobId}/inputs?path={Uri.EscapeDataString(path)}";

    public static string Output(long jobId, string kind, string leaseId) =>
        $"{Prefix}/jobs/{jobId}/outputs/{kind}?leaseId={Uri.EscapeDataString(leaseId)}";
}

/// <summary>Body of <c>POST lease</c>: a name for this generator (shown as the lease owner).</summary>
public sealed record LeaseRequest(string? Worker);

/// <summary>A leased job: present <see cref="LeaseId"/> on every later call and heartbeat before <see cref="ExpiresAt"/>.</summary>
public sealed record LeaseResponse(long JobId, string LeaseId, DateTimeOffset ExpiresAt, double LeaseSeconds, int Attempt, FrozenTimeline Timeline);

/// <summary>Body of heartbeat and complete.</summary>
public sealed record LeaseHeldRequest(string? LeaseId);

public sealed record HeartbeatResponse(DateTimeOffset ExpiresAt);

/// <summary>Stage text, percent (0–100) and estimated seconds left.</summary>
public sealed record ProgressRequest(string? LeaseId, string? Stage, double Percent, double? EtaSeconds);

public sealed record FailRequest(string? LeaseId, string? Error);

/// <summary>How a complete or fail call ended; a repeated call with the same lease gets the same answer.</summary>
public sealed record CompletionResponse(long JobId, string Status, string? Error);
