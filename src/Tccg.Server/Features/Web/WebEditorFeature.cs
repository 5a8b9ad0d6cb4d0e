using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Tccg.Server.Components;

namespace Tccg.Server.Features.Web;

/// <summary>The browser editor: Blazor components (interactive server rendering), its static files and the login form endpoints.</summary>
public static class WebEditorFeature
{
    public static IServiceCollection AddWebEditorFeature(this IServiceCollection services)
    {
        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddCascadingAuthenticationState();
        services.AddScoped<ToastService>();
        services.AddTransient<ReviewSession>();
        services.AddSingleton<WebAssets>();
        return services;
    }

    /// <summary>Maps the pages, /login form endpoints, clip media for the player and the editor's own static files.</summary>
    public static WebApplication MapWebEditor(this WebApplication app)
    {
        // Razor component forms validate their anti-forgery token here; API routes have no form metadata and are unaffected.
        app.UseAntiforgery();
        app.MapWebAssets();
        app.MapAccountForms();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        return app;
    }
}
