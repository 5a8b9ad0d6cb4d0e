using Microsoft.AspNetCore.Components;
using Tccg.Core.Compilations;
using Tccg.Storage.Compilations;

namespace Tccg.Server.Components.Pages;

/// <summary>The editor rules (Tccg.Core.Compilations.EditorRules, shared with the API) and submitting.</summary>
public sealed partial class Timeline
{
    [Inject] private Tccg.Server.Features.Compilations.CompilationSubmitter Submitter { get; set; } = default!;

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
            var outcome = await Submitter.SubmitAsync(Principal, CompilationId, Aborted);
            if (!outcome.Found)
                throw new InvalidOperationException("The compilation is gone or no longer yours.");
            if (outcome.Job is not { } job)
            {
                _messages = [.. outcome.Messages.Select(Words)];
                throw new InvalidOperationException("Not ready to render: " + (outcome.Messages.Count > 0 ? Words(outcome.Messages[0]) : "unknown reason") + ".");
            }

            Toasts.Success($"Submitted: render #{job.Id} is queued.");
            Navigation.NavigateTo("renders");
        }
        finally
        {
            _submitting = false;
        }
    });
}
