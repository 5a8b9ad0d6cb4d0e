using Tccg.Server.Application;

namespace Tccg.Server.Components.Pages;

/// <summary>The editor rules (checked by <see cref="Features.Compilations.CompilationService"/>, as for the API) and submitting.</summary>
public sealed partial class Timeline
{
    /// <summary>Lists what blocks a submit, in words.</summary>
    private async Task ValidateAsync(CurrentUser caller) =>
        _messages = [.. (await Compilations.ValidateAsync(caller, CompilationId, Aborted)).Select(m => Sentence(m.Message))];

    private Task SubmitAsync() => RunAsync(async caller =>
    {
        _submitting = true;
        try
        {
            var (job, _) = await Compilations.SubmitAsync(caller, CompilationId, Aborted);
            Toasts.Success($"Submitted: render #{job.Id} is queued.");
            Navigation.NavigateTo("/renders");
        }
        catch (RuleException e) when (e.Errors.Count > 0)
        {
            _messages = [.. e.Errors.Select(m => Sentence(m.Message))];
            throw;
        }
        finally
        {
            _submitting = false;
        }
    });
}
