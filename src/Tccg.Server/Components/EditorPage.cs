using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Tccg.Server.Application;

namespace Tccg.Server.Components;

/// <summary>
/// Base of the interactive pages. Every load and every action re-reads the caller (<see cref="CallerResolver"/>), so a
/// removed or demoted user's next click is refused in words, and calls the application layer with it; failures
/// (<see cref="RuleException"/> and the rest) become toasts.
/// </summary>
public abstract class EditorPage : ComponentBase, IDisposable
{
    private readonly CancellationTokenSource _disposed = new();

    [CascadingParameter] private Task<AuthenticationState> AuthenticationState { get; set; } = default!;

    [Inject] protected ToastService Toasts { get; set; } = default!;

    [Inject] private CallerResolver Callers { get; set; } = default!;

    /// <summary>The signed-in person as the page opened (for display; actions re-read it).</summary>
    protected CurrentUser User { get; private set; } = CurrentUser.Anonymous;

    /// <summary>Why the page could not load, in words (null when it did).</summary>
    protected string? LoadError { get; set; }

    private System.Security.Claims.ClaimsPrincipal _principal = new();

    /// <summary>Cancelled when the page goes away.</summary>
    protected CancellationToken Aborted => _disposed.Token;

    protected override async Task OnInitializedAsync()
    {
        _principal = (await AuthenticationState).User;
        try
        {
            User = await CallerAsync();
            await LoadAsync(User);
        }
        catch (RuleException e)
        {
            LoadError = Describe(e);
        }
    }

    /// <summary>The caller, checked again now (account still there, same role, session not ended).</summary>
    protected Task<CurrentUser> CallerAsync() => Callers.ForEditorAsync(_principal, Aborted);

    protected virtual Task LoadAsync(CurrentUser caller) => Task.CompletedTask;

    /// <summary>Runs an action as the caller (checked again first), showing <paramref name="done"/> or the failure as a toast.</summary>
    protected async Task RunAsync(Func<CurrentUser, Task> action, string? done = null)
    {
        try
        {
            var caller = await CallerAsync();
            User = caller;
            await action(caller);
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

    /// <summary>A failure in words: a rule's title, its detail and the fields it names.</summary>
    protected static string Describe(Exception e) => e switch
    {
        RuleException { Errors.Count: > 0 } rule => (rule.Errors.Count == 1 && rule.Title == $"{rule.Errors[0].Field}: {rule.Errors[0].Message}" ? "" : rule.Title + " ")
            + string.Join("; ", rule.Errors.Select(m => Sentence(m.Message))) + ".",
        RuleException rule => rule.Detail is null ? rule.Title : rule.Title + " " + rule.Detail,
        Tccg.Storage.DuplicateInStoreException => "That already exists: " + e.Message,
        _ => e.Message,
    };

    /// <summary>A rule message as the start of a sentence.</summary>
    protected static string Sentence(string message) => message.Length > 0 ? char.ToUpperInvariant(message[0]) + message[1..] : message;

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
