using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace Tccg.TwitchSim.Hosting;

/// <summary>
/// Runs before every endpoint: Helix authentication and rate limiting (with the Ratelimit-* headers on every
/// Helix response), the CDN's shared bandwidth limit (<see cref="CdnLink"/>), then the configured faults
/// (500, slow, truncated body) for Helix, GQL and the CDN.
/// </summary>
internal static class SimGate
{
    /// <summary>The <see cref="UserGrant"/> of a Helix request made with a user token (absent for app tokens).</summary>
    public const string UserGrantKey = "tccg.sim.user";

    public static async Task InvokeAsync(HttpContext context, RequestDelegate next, SimState state)
    {
        var path = context.Request.Path;
        if (state.Options.RequireContentLength && context.Request.ContentLength is null
            && context.Request.Headers.TransferEncoding.Count > 0)
        {
            // A body streamed chunked, without its length: refused before anything reads it.
            state.Counters.LengthRequiredSent();
            await TwitchJson.WriteErrorAsync(context, 411, "Length Required: send the request body with a Content-Length header.");
            return;
        }

        FaultInjector? faults;
        if (path.StartsWithSegments("/helix", StringComparison.Ordinal))
        {
            state.Counters.HelixRequest();
            if (!await AuthorizeHelixAsync(context, state))
                return;
            faults = state.HelixFaults;
        }
        else if (path.StartsWithSegments("/gql", StringComparison.Ordinal))
        {
            state.Counters.GqlRequest();
            faults = state.GqlFaults;
        }
        else if (path.StartsWithSegments("/cdn", StringComparison.Ordinal)
                 || (path.StartsWithSegments("/clips-media-assets2", StringComparison.Ordinal)
                     && path.Value!.EndsWith(".mp4", StringComparison.Ordinal)))
        {
            state.Counters.CdnRequest();
            faults = state.CdnFaults;
        }
        else
        {
            await next(context);
            return;
        }

        if (faults == state.CdnFaults && state.CdnLink.IsLimited)
        {
            var line = context.Response.Body;
            context.Response.Body = state.CdnLink.Wrap(line);
            try
            {
                await ApplyFaultsAsync(context, next, state, faults);
            }
            finally
            {
                context.Response.Body = line;
            }
            return;
        }

        await ApplyFaultsAsync(context, next, state, faults);
    }

    private static async Task ApplyFaultsAsync(HttpContext context, RequestDelegate next, SimState state, FaultInjector faults)
    {
        var decision = faults.Next();
        if (decision.Slow)
        {
            state.Counters.SlowResponse();
            await Task.Delay(faults.Faults.Delay, context.RequestAborted);
        }

        if (decision.ServerError)
        {
            state.Counters.ServerErrorSent();
            await TwitchJson.WriteErrorAsync(context, 500, "Internal Server Error");
            return;
        }

        if (decision.Truncate || decision.Stall)
        {
            await SendInTwoHalvesAsync(context, next, state, decision.Truncate ? null : faults.Faults.Delay);
            return;
        }

        await next(context);
    }

    /// <summary>Client-Id + Bearer token check, then one point from the bucket. False when the response is already written.</summary>
    private static async Task<bool> AuthorizeHelixAsync(HttpContext context, SimState state)
    {
        var clientId = context.Request.Headers["Client-Id"].ToString();
        var authorization = context.Request.Headers.Authorization.ToString();
        const string bearer = "Bearer ";
        string? failure = null;
        if (!authorization.StartsWith(bearer, StringComparison.OrdinalIgnoreCase) || authorization.Length == bearer.Length)
        {
            failure = "OAuth token is missing";
        }
        else
        {
            var token = authorization[bearer.Length..].Trim();
            var owner = state.Tokens.Validate(token, out _);
            if (owner is null && state.UserTokens.Validate(token) is { } user)
            {
                owner = user.ClientId;
                context.Items[UserGrantKey] = user;
            }
            if (owner is null)
                failure = "Invalid OAuth token";
            else if (!string.Equals(owner, clientId, StringComparison.Ordinal))
                failure = "Client ID and OAuth token do not match";
        }

        if (failure is not null)
        {
            if (clientId.Length > 0)
            {
                var (left, resetAt) = state.RateLimiter.Peek(clientId);
                SetRateLimitHeaders(context, state, left, resetAt);
            }

            state.Counters.UnauthorizedSent();
            await TwitchJson.WriteErrorAsync(context, 401, failure);
            return false;
        }

        var allowed = state.RateLimiter.TryTake(clientId, out var remaining, out var reset);
        SetRateLimitHeaders(context, state, remaining, reset);
        if (allowed)
            return true;
        state.Counters.RateLimitHit();
        await TwitchJson.WriteErrorAsync(context, 429, "Too Many Requests");
        return false;
    }

    private static void SetRateLimitHeaders(HttpContext context, SimState state, int remaining, DateTimeOffset reset)
    {
        var headers = context.Response.Headers;
        headers["Ratelimit-Limit"] = state.RateLimiter.Limit.ToString(CultureInfo.InvariantCulture);
        headers["Ratelimit-Remaining"] = remaining.ToString(CultureInfo.InvariantCulture);
        headers["Ratelimit-Reset"] = ((long)Math.Ceiling(reset.ToUnixTimeMilliseconds() / 1000.0)).ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Announces the full Content-Length and sends half of the body; then either drops the connection
    /// (<paramref name="stall"/> null: a truncated body) or waits <paramref name="stall"/> and sends the rest.
    /// </summary>
    private static async Task SendInTwoHalvesAsync(HttpContext context, RequestDelegate next, SimState state, TimeSpan? stall)
    {
        var original = context.Response.Body;
        using var buffer = new MemoryStream();
        context.Response.Body = buffer;
        try
        {
            await next(context);
        }
        finally
        {
            context.Response.Body = original;
        }

        var length = (int)buffer.Length;
        var half = length / 2;
        context.Response.ContentLength = length;
        await original.WriteAsync(buffer.GetBuffer().AsMemory(0, half), context.RequestAborted);
        await original.FlushAsync(context.RequestAborted);
        if (stall is null)
        {
            state.Counters.TruncatedResponse();
            context.Abort();
            return;
        }

        state.Counters.StalledResponse();
        await Task.Delay(stall.Value, context.RequestAborted);
        await original.WriteAsync(buffer.GetBuffer().AsMemory(half, length - half), context.RequestAborted);
    }
}
