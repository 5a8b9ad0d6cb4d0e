namespace Tccg.TwitchSim;

/// <summary>One persisted query the simulated GQL knows: an operation name (<c>ShareClipRenderStatus</c>, <c>VideoAccessToken_Clip</c>) and its sha256 hash.</summary>
public sealed record GqlWayAccepted(string Operation, string Hash);
