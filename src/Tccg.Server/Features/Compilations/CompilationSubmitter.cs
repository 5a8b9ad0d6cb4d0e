using System.Security.Claims;
using Microsoft.Extensions.Options;
using Tccg.Core.Compilations;
using Tccg.Core.Configuration;
using Tccg.Core.Timeline;
using Tccg.Server.Auth;
using Tccg.Storage.Compilations;
using Tccg.Storage.Renders;

namespace Tccg.Server.Features.Compilations;

/// <summary>What a submit did: not found, refused with blocking messages, or queued as <see cref="Job"/>.</summary>
public sealed record SubmitOutcome(bool Found, IReadOnlyList<ValidationMessage> Messages, RenderJob? Job, FrozenTimeline? Timeline)
{
    public bool Queued => Job is not null;
}

/// <summary>
/// Validation against the editor rules and submitting (freeze into a <see cref="FrozenTimeline"/>, queue a render job).
/// The API and the web editor both call this, so both apply the same checks.
/// </summary>
public sealed class CompilationSubmitter(
    ICompilationStore store, IRenderJobStore jobs, CompilationWorkspace workspace, IOptions<EditorOptions> rules)
{
    /// <summary>Every message that blocks submitting; null when the caller cannot see the compilation.</summary>
    public async Task<IReadOnlyList<ValidationMessage>?> ValidateAsync(ClaimsPrincipal caller, long id, CancellationToken ct)
    {
        if (await workspace.GetAsync(caller, id, ct) is not { } c)
            return null;
        var draft = await workspace.DraftAsync(caller, c, await store.GetItemsAsync(id, ct), ct);
        return EditorRules.Validate(draft, rules.Value);
    }

    public async Task<SubmitOutcome> SubmitAsync(ClaimsPrincipal caller, long id, CancellationToken ct)
    {
        using var held = await workspace.LockAsync(id, ct);
        if (await workspace.GetAsync(caller, id, ct) is not { } c)
            return new SubmitOutcome(false, [], null, null);
        var draft = await workspace.DraftAsync(caller, c, await store.GetItemsAsync(id, ct), ct);
        var messages = EditorRules.Validate(draft, rules.Value);
        if (messages.Count > 0)
            return new SubmitOutcome(true, messages, null, null);

        var frozen = TimelineBuilder.Build(draft);
        var structural = TimelineLoader.Validate(frozen.Timeline);
        if (structural.Count > 0)
            return new SubmitOutcome(true, [.. structural.Select(e => new ValidationMessage("timeline", e))], null, frozen);
        var job = await jobs.EnqueueAsync(id, caller.UserId(), frozen.ToJson(), ct);
        return new SubmitOutcome(true, [], job, frozen);
    }
}
