using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Tccg.Core.Configuration;
using Tccg.Server.Extensions;

namespace Tccg.Server;

/// <summary>Composes the Tccg server: services, middleware and every route. Front ends only call this.</summary>
public static class ServerApp
{
    /// <summary>
    /// Builds the server from a configuration (the CLI's, with appsettings.json, environment and --set).
    /// <paramref name="urls"/> overrides <c>Tccg:Server:Urls</c>.
    /// </summary>
    public static WebApplication Build(IConfiguration configuration, string? urls = null, Action<ILoggingBuilder>? logging = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = [],
            ApplicationName = typeof(ServerApp).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
            EnvironmentName = "Production",
        });
        // The caller's configuration wins over the defaults the builder read.
        builder.Configuration.AddConfiguration(configuration);
        if (logging is not null)
        {
            builder.Logging.ClearProviders();
            logging(builder.Logging);
        }

        var listen = urls ?? configuration[ServerOptions.Section + ":Urls"] ?? new ServerOptions().Urls;
        builder.WebHost.UseUrls(listen.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

        builder.Services.AddTccgOptions();
        builder.AddServerServices();

        var app = builder.Build();
        OptionsStartupCheck.ValidateAll(app.Services);
        app.UseServerPipeline();
        app.MapServerEndpoints();
        Tccg.Server.Features.Deployment.DeploymentSetup.CheckPathBase(app);
        return app;
    }
}
