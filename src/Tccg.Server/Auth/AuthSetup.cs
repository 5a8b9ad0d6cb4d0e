using System.Security.Claims;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Tccg.Storage.Accounts;

namespace Tccg.Server.Auth;

/// <summary>Browser sessions by cookie, bearer tokens for generators and scripts, roles as policies.</summary>
internal static class AuthSetup
{
    public const string CookieName = "tccg.session";
    public const string CsrfHeader = "X-CSRF-TOKEN";
    private const string SmartScheme = "CookieOrToken";

    public static IServiceCollection AddServerAuth(this IServiceCollection services)
    {
        // Session checks look the user up on every request: the server remembers those answers briefly.
        services.Replace(ServiceDescriptor.Singleton<IUserStore>(sp => new CachedUserStore(
            ActivatorUtilities.CreateInstance<UserStore>(sp), sp.GetService<TimeProvider>() ?? TimeProvider.System)));
        services.TryAddSingleton(Features.Auth.LoginThrottlePolicy.Default);
        services.AddSingleton<Features.Auth.LoginService>();
        services.AddAuthentication(SmartScheme)
            .AddPolicyScheme(SmartScheme, "Cookie or bearer token", o =>
                o.ForwardDefaultSelector = context =>
                    context.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
                        ? TokenAuthenticationHandler.SchemeName
                        : CookieAuthenticationDefaults.AuthenticationScheme)
            .AddScheme<AuthenticationSchemeOptions, TokenAuthenticationHandler>(TokenAuthenticationHandler.SchemeName, _ => { })
            .AddCookie(CookieAuthenticationDefaults.AuthenticationScheme, o =>
            {
                o.Cookie.Name = CookieName;
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Strict;
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.ExpireTimeSpan = TimeSpan.FromDays(7);
                o.SlidingExpiration = true;
                o.LoginPath = "/login";
                o.Events.OnRedirectToLogin = context => ApiOrRedirect(context, StatusCodes.Status401Unauthorized);
                o.Events.OnRedirectToAccessDenied = context => ApiOrRedirect(context, StatusCodes.Status403Forbidden);
                o.Events.OnValidatePrincipal = RefreshFromStoreAsync;
            });

        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build())
            .AddPolicy(Policies.Admin, p => p.RequireRole(TccgClaims.RoleAdmin))
            .AddPolicy(Policies.Editor, p => p.RequireRole(TccgClaims.RoleAdmin, TccgClaims.RoleEditor))
            .AddPolicy(Policies.Worker, p => p.RequireRole(TccgClaims.RoleWorker, TccgClaims.RoleAdmin));

        services.AddAntiforgery(o =>
        {
            o.HeaderName = CsrfHeader;
            o.Cookie.Name = "tccg.csrf";
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        });
        return services;
    }

    /// <summary>
    /// Cookie-authenticated requests that change state must carry the anti-forgery header; bearer-token
    /// requests cannot be forged by a browser and need none.
    /// </summary>
    public static IApplicationBuilder UseCookieAntiforgery(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (!HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method)
            && !HttpMethods.IsOptions(context.Request.Method)
            && !context.Request.Path.StartsWithSegments("/_blazor", StringComparison.Ordinal) // the editor's SignalR circuit (its own origin checks)
            && context.User.Identity is { IsAuthenticated: true, AuthenticationType: CookieAuthenticationDefaults.AuthenticationScheme })
        {
            var antiforgery = context.RequestServices.GetRequiredService<IAntiforgery>();
            if (!await antiforgery.IsRequestValidAsync(context))
            {
                await Results.Problem(
                    statusCode: StatusCodes.Status400BadRequest,
                    title: "Missing or invalid anti-forgery token",
                    detail: $"Send the {CsrfHeader} header with the token from GET /api/v1/auth/session.").ExecuteAsync(context);
                return;
            }
        }

        await next(context);
    });

    private static Task ApiOrRedirect(RedirectContext<CookieAuthenticationOptions> context, int status)
    {
        if (context.Request.Path.StartsWithSegments("/api", StringComparison.Ordinal))
        {
            context.Response.StatusCode = status;
            return Task.CompletedTask;
        }

        context.Response.Redirect(context.RedirectUri);
        return Task.CompletedTask;
    }

    /// <summary>
    /// A session lives only while its user exists with the security stamp the session was issued with: removing
    /// the user, a new password, a new role, logout and "log out everywhere" all end it at the next request.
    /// </summary>
    private static async Task RefreshFromStoreAsync(CookieValidatePrincipalContext context)
    {
        var id = context.Principal?.UserId();
        var stamp = context.Principal?.FindFirstValue(TccgClaims.SecurityStamp);
        var users = context.HttpContext.RequestServices.GetRequiredService<IUserStore>();
        var user = id is { } userId && !string.IsNullOrEmpty(stamp) ? await users.GetAsync(userId, context.HttpContext.RequestAborted) : null;
        if (user is null || !string.Equals(user.SecurityStamp, stamp, StringComparison.Ordinal))
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        }
    }
}
