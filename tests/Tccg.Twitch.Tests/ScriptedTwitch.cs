using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Tccg.Core.Configuration;

namespace Tccg.Twitch.Tests;

/// <summary>
/// A tiny Twitch stand-in on loopback whose Helix answers each test scripts itself, for client behaviour
/// (auth, pacing, retries) that must be pinned down exactly. The full simulator covers the rest.
/// </summary>
internal sealed class ScriptedTwitch : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _tokens;
    private int _helixCalls;
    private int _throttled;
    private readonly Lock _bucketGate = new();
    private long _windowIndex = -1;
    private int _used;

    public Func<HttpContext, int, Task<IResult>> Helix { get; set; } = (_, _) => Task.FromResult(Results.Text("""{"data":[]}""", "application/json"));

    /// <summary>When set, Helix enforces a bucket of this many points per <see cref="Window"/> (aligned to whole seconds).</summary>
    public int? BucketPoints { get; set; }
    public TimeSpan Window { get; set; } = TimeSpan.FromSeconds(1);

    public int TokensIssued => _tokens;
    public int HelixCalls => _helixCalls;
    public int Throttled => _throttled;
    public string BaseUrl { get; }

    private ScriptedTwitch(WebApplication app, string baseUrl)
    {
        _app = app;
        BaseUrl = baseUrl;
    }

    public static async Task<ScriptedTwitch> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        ScriptedTwitch? self = null;
        app.MapPost("/oauth2/token", (HttpContext ctx) =>
        {
            var n = Interlocked.Increment(ref self!._tokens);
            return ctx.Request.Query["client_secret"] == "secret"
                ? Results.Json(new { access_token = $"token{n}", expires_in = 3600, token_type = "bearer" })
                : Results.Json(new { status = 403, message = "invalid client secret" }, statusCode: 403);
        });
        app.Map("/helix/{**path}", async (HttpContext ctx) =>
        {
            var n = Interlocked.Increment(ref self!._helixCalls);
            if (self.BucketPoints is { } points && !self.TakePoint(ctx, points))
            {
                Interlocked.Increment(ref self._throttled);
                return Results.Json(new { error = "Too Many Requests", status = 429, message = "" }, statusCode: 429);
            }
            return await self.Helix(ctx, n);
        });
        await app.StartAsync();
        var url = app.Urls.First();
        self = new ScriptedTwitch(app, url);
        return self;
    }

    private bool TakePoint(HttpContext ctx, int points)
    {
        lock (_bucketGate)
        {
            var now = DateTimeOffset.UtcNow;
            var index = now.ToUnixTimeMilliseconds() / (long)Window.TotalMilliseconds;
            if (index != _windowIndex)
            {
                _windowIndex = index;
                _used = 0;
            }
            var reset = DateTimeOffset.FromUnixTimeMilliseconds((index + 1) * (long)Window.TotalMilliseconds);
            var ok = _used < points;
            if (ok)
                _used++;
            ctx.Response.Headers["Ratelimit-Limit"] = points.ToString(CultureInfo.InvariantCulture);
            ctx.Response.Headers["Ratelimit-Remaining"] = (points - _used).ToString(CultureInfo.InvariantCulture);
            ctx.Response.Headers["Ratelimit-Reset"] = ((reset.ToUnixTimeMilliseconds() + 999) / 1000).ToString(CultureInfo.InvariantCulture);
            return ok;
        }
    }

    public ServiceProvider Services(Action<TwitchOptions>? configure = null, Action<TwitchHttpOptions>? tuning = null,
        Action<IServiceCollection>? extra = null)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddOptions<TwitchOptions>().Configure(o =>
        {
            o.ClientId = "client";
            o.ClientSecret = "secret";
            o.AuthBaseUrl = BaseUrl;
            o.HelixBaseUrl = BaseUrl + "/helix";
            o.GqlUrl = BaseUrl + "/gql";
            configure?.Invoke(o);
        });
        services.AddTccgTwitch();
        services.Configure<TwitchHttpOptions>(o =>
        {
            o.RetryBaseDelay = TimeSpan.FromMilliseconds(10);
            o.MaxRetries = 3;
            tuning?.Invoke(o);
        });
        extra?.Invoke(services);
        return services.BuildServiceProvider();
    }

    public static IResult Games(params string[] names) =>
        Results.Text("{\"data\":[" + string.Join(',', names.Select((n, i) => $"{{\"id\":\"{i + 1}\",\"name\":\"{n}\",\"box_art_url\":\"x\",\"igdb_id\":\"\"}}")) + "]}", "application/json");

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
