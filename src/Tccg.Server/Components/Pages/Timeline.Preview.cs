using Microsoft.AspNetCore.Components;
using Tccg.Server.Features.Compilations;

namespace Tccg.Server.Components.Pages;

/// <summary>The Preview (Shared/CompilationPreview.razor): the plan comes from <see cref="CompilationPreviewService"/> as the caller.</summary>
public sealed partial class Timeline
{
    [Inject] private CompilationPreviewService Previews { get; set; } = default!;

    private async Task<PreviewPlan?> PreviewPlanAsync()
    {
        PreviewPlan? plan = null;
        await RunAsync(async caller => plan = await Previews.PlanAsync(caller, CompilationId, Aborted));
        return plan;
    }
}
