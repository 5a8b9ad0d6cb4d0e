using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;

namespace Tccg.Server.Components;

/// <summary>Base of the interactive pages: the current user, toasts, and one place that turns failures into words.</summary>
public abstract class EditorPage : ComponentBase, IDisposable
{
    private readonly CancellationTokenSource _disposed = new();

    [CascadingParameter] private Task<AuthenticationState> AuthenticationState { get; set; } = default!;

    [Inject] protected ToastService Toasts { get; set; } = default!;

    [Inject] private NavigationManager PageNavigation { get; set; } = default!;

    /// <summary>The editor's JS module by absolute URL, so it loads under <c>Tccg:Server:PathBase</c> too.</summary>
    protected string EditorModuleUrl => PageNavigation.BaseUri + "ui/editor.js";

    protected EditorUser User { get; private set; } = new(null, "", false);

    /// <summary>The caller as the API's services expect it.</summary>
    protected System.Security.Claims.ClaimsPrincipal Principal { get; private set; } = new();

    /// <summary>Cancelled when the page goes away.</summary>
    protected CancellationToken Aborted => _disposed.Token;

    protected override async Task OnInitializedAsync()
    {
        Principal = (await AuthenticationState).User;
        User = EditorUser.From(Principal);
        await LoadAsync();
    }

    protected virtual Task LoadAsync() => Task.CompletedTask;

    /// <summary>Runs an action, showing <paramref name="done"/> or the failure as a toast.</summary>
    protected async Task RunAsync(Func<Task> action, string? done = null)
    {
        try
        {
            await action();
            if (done is not null)
                Toasts.Success(done);
        }
        catch (OperationCanceledException) when (_disposed.IsCancellationRequested)
        {
        }
#pragma warning disable CA1031 // every failure becomes a message for the person at the keyboard
        catch (Exception e)
#pragma warning restore CA1031
        {
            Toasts.Error(Describe(e));
        }
    }

    protected static string Describe(Exception e) => e switch
    {
        Tccg.Storage.DuplicateInStoreException => "That already exists: " + e.Message,
        _ => e.Message,
    };

    public void Dispose()
    {
        _disposed.Cancel();
        _disposed.Dispose();
        OnDispose();
        GC.SuppressFinalize(this);
    }

    protected virtual void OnDispose()
    {
    }
}
