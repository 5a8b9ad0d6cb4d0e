using System.Net;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Tccg.Core.Configuration;
using Tccg.Twitch.Security;

namespace Tccg.Server.Features.Deployment;

/// <summary>
/// Running on a VPS: trusted reverse proxies (forwarded scheme, host and client address), a path prefix, HTTPS with
/// a certificate of its own, HSTS, Secure cookies, the shared Data Protection key ring and the nightly backup.
/// </summary>
public static class DeploymentSetup
{
    public static void AddDeployment(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        var configuration = builder.Configuration;
        var server = configuration.GetSection(ServerOptions.Section).Get<ServerOptions>() ?? new ServerOptions();

        services.Configure<ForwardedHeadersOptions>(o =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost;
            // Only the proxies named in the configuration are believed (the framework would trust loopback by default).
            o.KnownProxies.Clear();
            o.KnownIPNetworks.Clear();
        });
        services.AddSingleton<IConfigureOptions<ForwardedHeadersOptions>, TrustedProxies>();

        if (server.RequireHttps)
        {
            services.PostConfigure<CookieAuthenticationOptions>(CookieAuthenticationDefaults.AuthenticationScheme, o => o.Cookie.SecurePolicy = Microsoft.AspNetCore.Http.CookieSecurePolicy.Always);
            services.PostConfigure<AntiforgeryOptions>(o => o.Cookie.SecurePolicy = Microsoft.AspNetCore.Http.CookieSecurePolicy.Always);
        }

        services.AddHsts(o =>
        {
            o.MaxAge = TimeSpan.FromDays(365);
            o.IncludeSubDomains = false;
        });

        var certificate = configuration.GetSection(CertificateOptions.Section).Get<CertificateOptions>() ?? new CertificateOptions();
        if (certificate.Path.Length > 0)
        {
            var loaded = ServerCertificate.Load(certificate);
            builder.WebHost.ConfigureKestrel(k => k.ConfigureHttpsDefaults(h => h.ServerCertificate = loaded));
        }

        // The shared Data Protection key ring comes with AddTccgTwitch (Tccg.Twitch.Security.SharedDataProtection).
        services.AddSharedDataProtection();
        services.AddHostedService<NightlyBackupService>();
    }

    /// <summary>
    /// Refuses a <c>Tccg:Server:PathBase</c> whose first segment is one of the server's own (<c>/api</c>, <c>/admin</c>,
    /// <c>/clips</c>, …): the links handlers write as "/…" could not be told from links already under the prefix.
    /// Runs once every route is mapped.
    /// </summary>
    public static void CheckPathBase(this WebApplication app)
    {
        var pathBase = app.Services.GetRequiredService<IOptions<ServerOptions>>().Value.PathBase;
        if (pathBase.Length == 0)
            return;
        var first = pathBase.Split('/', 3)[1];
        var taken = ((Microsoft.AspNetCore.Routing.IEndpointRouteBuilder)app).DataSources
            .SelectMany(source => source.Endpoints)
            .OfType<Microsoft.AspNetCore.Routing.RouteEndpoint>()
            .Select(endpoint => endpoint.RoutePattern.PathSegments is [{ IsSimple: true, Parts: [Microsoft.AspNetCore.Routing.Patterns.RoutePatternLiteralPart literal] }, ..] ? literal.Content : null)
            .Any(segment => string.Equals(segment, first, StringComparison.OrdinalIgnoreCase));
        if (taken)
            throw new InvalidConfigurationException(
                $"{ServerOptions.Section}:PathBase must not start with /{first}, a path of the server's own; choose another prefix, such as /tccg.");
    }

    /// <summary>First in the pipeline: forwarded headers, the path prefix, HSTS and the HTTPS requirement.</summary>
    public static void UseDeployment(this WebApplication app)
    {
        var server = app.Services.GetRequiredService<IOptions<ServerOptions>>().Value;
        var proxies = app.Services.GetRequiredService<IOptions<ForwardedHeadersSettings>>().Value;
        if (ForwardedHeadersSettings.Entries(proxies.KnownProxies).Any() || ForwardedHeadersSettings.Entries(proxies.KnownNetworks).Any())
            app.UseForwardedHeaders();

        if (server.PathBase.Length > 0)
        {
            var prefix = new PathString(server.PathBase);
            app.UsePathBase(prefix);
            // Absolute redirects and Location headers the handlers write as "/…" stay under the prefix.
            app.Use((context, next) =>
            {
                context.Response.OnStarting(() =>
                {
                    var location = context.Response.Headers.Location.ToString();
                    if (location.Length > 0 && location[0] == '/' && (location.Length == 1 || (location[1] != '/' && location[1] != '\\'))
                        && !new PathString(location.Split('?', 2)[0]).StartsWithSegments(prefix, StringComparison.Ordinal))
                        context.Response.Headers.Location = prefix + location;
                    return Task.CompletedTask;
                });
                return next(context);
            });
        }

        // Failed logins with the client's address (the forwarded one behind a trusted proxy), for fail2ban and the like.
        var security = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Tccg.Server.Security");
        app.Use((context, next) =>
        {
            if (HttpMethods.IsPost(context.Request.Method)
                && (context.Request.Path.Equals("/api/v1/auth/login", StringComparison.Ordinal) || context.Request.Path.Equals("/account/login", StringComparison.Ordinal)))
            {
                context.Response.OnCompleted(() =>
                {
                    var response = context.Response;
                    if (response.StatusCode is StatusCodes.Status401Unauthorized or StatusCodes.Status429TooManyRequests
                        || (response.StatusCode == StatusCodes.Status302Found && response.Headers.Location.ToString().Contains("error=", StringComparison.Ordinal)))
                        security.LogWarning("Failed login from {ClientAddress} ({Status})", context.Connection.RemoteIpAddress, response.StatusCode);
                    return Task.CompletedTask;
                });
            }
            return next(context);
        });

        // Routing after the prefix is taken off the path.
        app.UseRouting();
        app.UseHsts();

        if (server.RequireHttps)
        {
            app.Use(async (context, next) =>
            {
                if (context.Request.IsHttps || context.Request.Path.StartsWithSegments("/healthz", StringComparison.Ordinal) || context.Request.Path.StartsWithSegments("/readyz", StringComparison.Ordinal))
                {
                    await next(context);
                    return;
                }

                if (HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method))
                {
                    var request = context.Request;
                    context.Response.Redirect("https://" + request.Host + request.PathBase + request.Path + request.QueryString, permanent: true, preserveMethod: true);
                    return;
                }

                await Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "HTTPS required",
                    detail: $"This server only accepts HTTPS ({ServerOptions.Section}:RequireHttps).").ExecuteAsync(context);
            });
        }
    }

    /// <summary>The configured proxies and networks, validated with the key named on a bad entry.</summary>
    private sealed class TrustedProxies(IOptions<ForwardedHeadersSettings> settings) : IConfigureOptions<ForwardedHeadersOptions>
    {
        public void Configure(ForwardedHeadersOptions options)
        {
            foreach (var entry in ForwardedHeadersSettings.Entries(settings.Value.KnownProxies))
            {
                if (!IPAddress.TryParse(entry, out var address))
                    throw new InvalidConfigurationException($"{ForwardedHeadersSettings.Section}:KnownProxies: '{entry}' is not an IP address.");
                options.KnownProxies.Add(address);
                if (address.IsIPv4MappedToIPv6)
                    options.KnownProxies.Add(address.MapToIPv4());
                else if (address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork)
                    options.KnownProxies.Add(address.MapToIPv6());
            }

            foreach (var entry in ForwardedHeadersSettings.Entries(settings.Value.KnownNetworks))
            {
                if (!System.Net.IPNetwork.TryParse(entry, out var network))
                    throw new InvalidConfigurationException($"{ForwardedHeadersSettings.Section}:KnownNetworks: '{entry}' is not a network in CIDR form (10.0.0.0/8).");
                options.KnownIPNetworks.Add(network);
            }
        }
    }
}
