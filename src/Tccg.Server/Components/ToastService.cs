namespace Tccg.Server.Components;

public enum ToastKind
{
    Info,
    Success,
    Error,
}

public sealed record Toast(long Id, string Message, ToastKind Kind);

/// <summary>Short messages confirming every action (or explaining a failure in words); one per browser circuit.</summary>
public sealed class ToastService
{
    private readonly List<Toast> _toasts = [];
    private long _next;

    public event Action? Changed;

    public IReadOnlyList<Toast> Current
    {
        get
        {
            lock (_toasts)
                return [.. _toasts];
        }
    }

    public void Success(string message) => Show(message, ToastKind.Success);

    public void Info(string message) => Show(message, ToastKind.Info);

    public void Error(string message) => Show(message, ToastKind.Error);

    public void Show(string message, ToastKind kind)
    {
        Toast toast;
        lock (_toasts)
        {
            toast = new Toast(++_next, message, kind);
            _toasts.Add(toast);
            if (_toasts.Count > 5)
                _toasts.RemoveAt(0);
        }

        Changed?.Invoke();
        _ = DismissLaterAsync(toast, kind == ToastKind.Error ? 8000 : 3500);
    }

    public void Dismiss(long id)
    {
        lock (_toasts)
            _toasts.RemoveAll(t => t.Id == id);
        Changed?.Invoke();
    }

    private async Task DismissLaterAsync(Toast toast, int milliseconds)
    {
        await Task.Delay(milliseconds).ConfigureAwait(false);
        Dismiss(toast.Id);
    }
}
