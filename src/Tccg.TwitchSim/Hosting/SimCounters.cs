namespace Tccg.TwitchSim.Hosting;

/// <summary>What the simulator has seen and done, for assertions and benchmark reports. Thread-safe.</summary>
public sealed class SimCounters
{
    private long _tokensIssued;
    private long _helixRequests;
    private long _rateLimited;
    private long _unauthorized;
    private long _serverErrors;
    private long _slowResponses;
    private long _truncatedResponses;
    private long _stalledResponses;
    private long _gqlRequests;
    private long _gqlOperations;
    private long _cdnRequests;
    private long _cdnForbidden;
    private long _mediaFilesGenerated;

    public long TokensIssued => Interlocked.Read(ref _tokensIssued);

    /// <summary>Requests refused with 411 because their body came without Content-Length (chunked).</summary>
    public long LengthRequired => Interlocked.Read(ref _lengthRequired);

    /// <summary>Calls to <c>/helix/clips/downloads</c> answered with URLs.</summary>
    public long OfficialDownloads => Interlocked.Read(ref _officialDownloads);

    /// <summary>Clip ids answered by those calls (a call takes up to 10).</summary>
    public long OfficialDownloadClips => Interlocked.Read(ref _officialDownloadClips);

    private long _lengthRequired;
    private long _officialDownloads;
    private long _officialDownloadClips;

    internal void LengthRequiredSent() => Interlocked.Increment(ref _lengthRequired);
    internal void OfficialDownloadServed(int clips)
    {
        Interlocked.Increment(ref _officialDownloads);
        Interlocked.Add(ref _officialDownloadClips, clips);
    }

    /// <summary>Every request under <c>/helix</c>, including rejected ones.</summary>
    public long HelixRequests => Interlocked.Read(ref _helixRequests);

    /// <summary>429s sent.</summary>
    public long RateLimited => Interlocked.Read(ref _rateLimited);

    /// <summary>401s sent by Helix and the token endpoint.</summary>
    public long Unauthorized => Interlocked.Read(ref _unauthorized);

    /// <summary>Injected 500s (all surfaces).</summary>
    public long ServerErrors => Interlocked.Read(ref _serverErrors);

    public long SlowResponses => Interlocked.Read(ref _slowResponses);
    public long TruncatedResponses => Interlocked.Read(ref _truncatedResponses);
    public long StalledResponses => Interlocked.Read(ref _stalledResponses);
    public long GqlRequests => Interlocked.Read(ref _gqlRequests);

    /// <summary>GQL operations (a batch request holds several).</summary>
    public long GqlOperations => Interlocked.Read(ref _gqlOperations);

    public long CdnRequests => Interlocked.Read(ref _cdnRequests);

    /// <summary>403s for unsigned, wrongly signed or expired media URLs.</summary>
    public long CdnForbidden => Interlocked.Read(ref _cdnForbidden);

    /// <summary>MP4s made by ffmpeg in this run (cache misses).</summary>
    public long MediaFilesGenerated => Interlocked.Read(ref _mediaFilesGenerated);

    internal void TokenIssued() => Interlocked.Increment(ref _tokensIssued);
    internal void HelixRequest() => Interlocked.Increment(ref _helixRequests);
    internal void RateLimitHit() => Interlocked.Increment(ref _rateLimited);
    internal void UnauthorizedSent() => Interlocked.Increment(ref _unauthorized);
    internal void ServerErrorSent() => Interlocked.Increment(ref _serverErrors);
    internal void SlowResponse() => Interlocked.Increment(ref _slowResponses);
    internal void TruncatedResponse() => Interlocked.Increment(ref _truncatedResponses);
    internal void StalledResponse() => Interlocked.Increment(ref _stalledResponses);
    internal void GqlRequest() => Interlocked.Increment(ref _gqlRequests);
    internal void GqlOperation() => Interlocked.Increment(ref _gqlOperations);
    internal void CdnRequest() => Interlocked.Increment(ref _cdnRequests);
    internal void CdnForbiddenSent() => Interlocked.Increment(ref _cdnForbidden);
    internal void MediaFileGenerated() => Interlocked.Increment(ref _mediaFilesGenerated);
}
