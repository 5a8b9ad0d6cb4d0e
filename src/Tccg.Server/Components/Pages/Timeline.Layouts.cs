using System.Globalization;
using Microsoft.AspNetCore.Components;
using Tccg.Core.Compilations;
using Tccg.Core.Timeline;
using Tccg.Server.Features.Compilations;
using Tccg.Server.Features.Layouts;

namespace Tccg.Server.Components.Pages;

// The timeline page's formats: the target format, each clip's layout (LayoutEditor), the streamer's remembered
// facecam box and "Render each clip as a short" (FormatPanel).
public sealed partial class Timeline
{
    [Inject] private StreamerLayoutService StreamerLayouts { get; set; } = default!;
    [Inject] private ShortsService Shorts { get; set; } = default!;

    /// <summary>The output size the compilation renders at (its target's, else its own, else 1920x1080).</summary>
    private (int Width, int Height) OutputSize =>
        PlatformTargets.Output(_compilation?.Settings.PlatformTarget, _compilation?.Settings.Output) is { Width: { } w, Height: { } h } ? (w, h) : (1920, 1080);

    private Task SaveLayoutAsync(LayoutSection? layout) => RunAsync(async caller =>
    {
        if (_selected is not { } row)
            return;
        row.Layout = layout;
        await SaveAsync(caller);
        Toasts.Success(layout is null
            ? "This clip uses the default layout again."
            : layout.Mode is "stacked" or "crop"
                ? $"Layout saved; {row.Streamer}'s later clips start from this facecam box."
                : "Layout saved.");
    });

    private Task ForgetStreamerAsync(string broadcasterId) => RunAsync(async caller =>
    {
        await StreamerLayouts.ResetAsync(caller, broadcasterId, Aborted);
        Show(await Compilations.GetAsync(caller, CompilationId, Aborted));
    }, "Forgot the streamer's facecam box.");

    private Task SetTargetAsync(string? target) => RunAsync(async caller =>
    {
        await SaveAsync(caller, r =>
        {
            r.Settings!.Target = string.IsNullOrWhiteSpace(target) ? null : target;
            return r;
        });
    }, "Target format saved.");

    private Task RenderShortsAsync(ShortsRequest request) => RunAsync(async caller =>
    {
        var batch = await Shorts.RenderEachAsync(caller, CompilationId, request, Aborted);
        Toasts.Success(string.Create(CultureInfo.InvariantCulture,
            $"Queued {batch.Jobs.Length} shorts (batch {batch.BatchId}); follow them on the Renders page."));
    });
}
