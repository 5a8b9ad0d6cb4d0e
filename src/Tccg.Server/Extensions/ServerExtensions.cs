using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Tccg.Server.Auth;
using Tccg.Server.Features.Admin;
using Tccg.Server.Features.Assets;
using Tccg.Server.Features.Auth;
using Tccg.Server.Features.ClipBin;
using Tccg.Server.Features.Compilations;
using Tccg.Server.Features.Health;
using Tccg.Server.Features.Renders;
using Tccg.Media;
using Tccg.Storage;
using Tccg.Twitch;

namespace Tccg.Server.Extensions;

/// <summary>Service registration and endpoint mapping for the server, kept out of <see cref="ServerApp"/>.</summary>
internal static class ServerExtensions
{
    public static void AddServerServices(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddProblemDetails();
        // Enums travel as their names ("Downloaded", "Week"), in and out.
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter()));
        services.AddTccgStorage();
        // Hosted services start in the order they are added: the schema first, so the Data Protection key ring (read
        // from the database at start, registered by the Twitch clients' AddDataProtection) finds its table.
        services.AddHostedService<MigrationHostedService>();
        services.AddTccgMedia();
        services.AddTccgTwitch();
        services.AddServerAuth();
        services.AddSingleton<Tccg.Server.Application.CallerResolver>();
        services.AddSingleton<Tccg.Server.Application.ApiLinks>();
        services.AddSingleton<AdminService>();

        // Features: one line each (keep this list append-only so branches merge cleanly).
        services.AddClipBinFeature(builder.Configuration);
        services.AddAssetsFeature();
        services.AddCompilationsFeature();
        services.AddRendersFeature(builder.Configuration);
        Tccg.Server.Features.Web.WebEditorFeature.AddWebEditorFeature(services);
        services.AddRequestHardening();
        Tccg.Server.Features.Deployment.DeploymentSetup.AddDeployment(builder);
        Tccg.Server.Features.Twitch.TwitchFeature.AddTwitchFeature(services);
        Tccg.Server.Features.Channels.ChannelsApi.AddChannelsFeature(services);
        Tccg.Server.Features.Layouts.StreamerLayoutsApi.AddStreamerLayoutsFeature(services);
        services.AddSingleton<CompilationPreviewService>();

        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status503ServiceUnavailable;
            o.AddConcurrencyLimiter(DatabaseWork.Policy, l =>
            {
                l.PermitLimit = DatabaseWork.Permits;
                l.QueueLimit = DatabaseWork.QueueLimit;
                l.QueueProcessingOrder = System.Threading.RateLimiting.QueueProcessingOrder.OldestFirst;
            });
        });
        services.AddOpenApi("v1");
        services.AddHttpLogging(o =>
        {
            o.LoggingFields = Microsoft.AspNetCore.HttpLogging.HttpLoggingFields.RequestMethod
                | Microsoft.AspNetCore.HttpLogging.HttpLoggingFields.RequestPath
                | Microsoft.AspNetCore.HttpLogging.HttpLoggingFields.ResponseStatusCode
                | Microsoft.AspNetCore.HttpLogging.HttpLoggingFields.Duration;
            o.CombineLogs = true;
        });
        services.AddHealthChecks()
            .AddCheck<DatabaseHealthCheck>("database", tags: ["ready"])
            .AddCheck<StorageHealthCheck>("storage", tags: ["ready"])
            .AddCheck<FfmpegHealthCheck>("ffmpeg", tags: ["ready"]);
    }

    public static void UseServerPipeline(this WebApplication app)
    {
        // First: forwarded scheme and client address (login throttling reads it), the path prefix, HTTPS.
        Tccg.Server.Features.Deployment.DeploymentSetup.UseDeployment(app);
        app.UseSecurityHeaders();
        app.UseHttpLogging();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseAuthentication();
        Tccg.Server.Features.Web.EditorGate.UseEditorGate(app);
        app.UseAuthorization();
        app.UseRateLimiter();
        app.UseCookieAntiforgery();
    }

    public static void MapServerEndpoints(this WebApplication app)
    {
        app.MapOpenApi("/openapi/{documentName}.json").AllowAnonymous();
        app.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = _ => false }).AllowAnonymous();
        app.MapHealthChecks("/readyz", new HealthCheckOptions
        {
            Predicate = c => c.Tags.Contains("ready"),
            ResponseWriter = HealthResponseWriter.WriteAsync,
        }).AllowAnonymous();
        Tccg.Server.Features.Web.WebEditorFeature.MapWebEditor(app);
        var api = app.MapGroup("/api/v1");
        // A rule of the application layer that says no becomes its RFC 7807 problem (400 naming the field, 403, 404, 409).
        api.AddEndpointFilter(async (context, next) =>
        {
            try
            {
                return await next(context);
            }
            catch (Tccg.Server.Application.RuleException e)
            {
                return Tccg.Server.Application.RuleProblems.Problem(e);
            }
        });
        api.MapGet("/version", () => TypedResults.Ok(new VersionInfo(typeof(ServerApp).Assembly.GetName().Version?.ToString() ?? "0")))
            .WithName("GetVersion").WithSummary("Server version").WithTags("Server");
        // Features: one line each (append-only).
        api.MapAuthApi();
        api.MapAdminApi();
        api.MapClipBinApi();
        api.MapAssetsApi();
        api.MapCompilationsApi();
        api.MapRendersApi();
        api.AllowHeadWhereGet();
        Tccg.Server.Features.Twitch.TwitchFeature.MapTwitchApi(api);
        Tccg.Server.Features.Channels.ChannelsApi.MapChannelsApi(api);
        Tccg.Server.Features.Layouts.StreamerLayoutsApi.MapStreamerLayoutsApi(api);
        api.MapCompilationPreviewApi();

    }
}

public sealed record VersionInfo(string Version);
