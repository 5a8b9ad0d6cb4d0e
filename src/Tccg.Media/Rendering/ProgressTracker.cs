namespace Tccg.Media.Rendering;

/// <summary>Turns stage + percent into <see cref="RenderProgress"/> events with an ETA; never goes backwards.</summary>
internal sealed class ProgressTracker(IProgress<RenderProgress>? sink, TimeProvider time, long started)
{
    private readonly Lock _lock = new();
    private double _percent;

    public void Report(RenderStage stage, double percent, int segmentsDone = 0, int segmentsTotal = 0)
    {
        if (sink is null)
            return;
        RenderProgress p;
        lock (_lock)
        {
            _percent = Math.Max(_percent, Math.Clamp(percent, 0, 100));
            var elapsed = time.GetElapsedTime(started);
            TimeSpan? eta = _percent >= 100 ? TimeSpan.Zero
                : _percent > 3 ? TimeSpan.FromSeconds(elapsed.TotalSeconds * (100 - _percent) / _percent) : null;
            p = new RenderProgress(stage, _percent, eta, segmentsDone, segmentsTotal);
        }
        sink.Report(p);
    }
}
