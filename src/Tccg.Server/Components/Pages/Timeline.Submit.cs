using Microsoft.AspNetCore.Components;
using Tccg.Core.Compilations;
using Tccg.Core.Timeline;
using Tccg.Storage.Compilations;

namespace Tccg.Server.Components.Pages;

/// <summary>The editor rules (Tccg.Core.Compilations.EditorRules, shared with the API) and submitting.</summary>
public sealed partial class Timeline
{
    /// <summary>Lists what blocks a submit, in words.</summary>
    private async Task ValidateAsync()
    {
        var draft = await Workspace.DraftAsync(Principal, _compilation!, CurrentItems(), Aborted);
        _messages = [.. EditorRules.Validate(draft, Rules.Value).Select(Words)];
    }

    /// <summary>Refuses an edit the API would refuse too (trims outside the media, bad volumes, wrong asset kinds …); reloads on refusal.</summary>
    private async Task CheckEditAsync(Compilation compilation, List<CompilationItem> items)
    {
        var draft = await Workspace.DraftAsync(Principal, compilation, items, Aborted);
        var problems = EditorRules.CheckEdit(draft);
        if (problems.Count == 0)
            return;
        await LoadAsync();
        throw new InvalidOperationException("Not saved: " + string.Join("; ", problems.Select(Words)) + ".");
    }

    private static string Words(ValidationMessage m) => m.Message.Length > 0 ? char.ToUpperInvariant(m.Message[0]) + m.Message[1..] : m.Field;

    private Task SubmitAsync() => RunAsync(async () =>
    {
        _submitting = true;
        try
        {
            long jobId;
            using (await Workspace.LockAsync(CompilationId, Aborted))
            {
                var compilation = await Workspace.GetAsync(Principal, CompilationId, Aborted)
                    ?? throw new InvalidOperationException("The compilation is gone or no longer yours.");
                var draft = await Workspace.DraftAsync(Principal, compilation, await Compilations.GetItemsAsync(CompilationId, Aborted), Aborted);
                var messages = EditorRules.Validate(draft, Rules.Value);
                if (messages.Count > 0)
                {
                    _messages = [.. messages.Select(Words)];
                    throw new InvalidOperationException("Not ready to render: " + Words(messages[0]) + ".");
                }

                var frozen = TimelineBuilder.Build(draft);
                var structural = TimelineLoader.Validate(frozen.Timeline);
                if (structural.Count > 0)
                    throw new InvalidOperationException("The timeline froze into something the renderer refuses: " + string.Join("; ", structural));
                jobId = (await Jobs.EnqueueAsync(CompilationId, User.Id, frozen.ToJson(), Aborted)).Id;
            }

            Toasts.Success($"Submitted: render #{jobId} is queued.");
            Navigation.NavigateTo("/renders");
        }
        finally
        {
            _submitting = false;
        }
    });
}
