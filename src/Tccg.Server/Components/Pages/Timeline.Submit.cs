namespace Tccg.Server.Components.Pages;

/// <summary>The editor rules before submit, and submitting.</summary>
public sealed partial class Timeline
{
    private void Validate()
    {
        var messages = new List<string>();
        if (_rows.Count < 2)
            messages.Add("Keep at least 2 clips.");
        foreach (var row in _rows.Where(r => !r.Usable))
            messages.Add($"Clip “{row.Title}” has no downloaded file any more; remove it.");
        var rules = Rules.Value;
        if (rules.EnforceIntro && _compilation?.IntroAssetId is null)
            messages.Add("Pick an intro (required on this server).");
        if (rules.EnforceOutro && _compilation?.OutroAssetId is null)
            messages.Add("Pick an outro (required on this server).");
        if (rules.EnforceInterval && _compilation?.IntervalAssetId is null)
            messages.Add("Pick an interval (required on this server).");
        if (rules.EnforceFirstClip && _compilation?.FirstAssetId is null)
            messages.Add("Pick a first clip (required on this server).");
        _messages = messages;
    }

    private Task SubmitAsync() => RunAsync(async () =>
    {
        _submitting = true;
        try
        {
            await Task.Yield();
            throw new InvalidOperationException("Submitting needs the compilations service, which is not on this build yet.");
        }
        finally
        {
            _submitting = false;
        }
    });
}
