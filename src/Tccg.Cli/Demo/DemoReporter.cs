using System.Diagnostics;
using System.Globalization;

namespace Tccg.Cli.Demo;

/// <summary>Numbered steps with timings, and a progress line that redraws on a terminal (or prints every 10% in a log).</summary>
internal sealed class DemoReporter(TextWriter output, int steps)
{
    private readonly bool _live = ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected;
    private readonly Stopwatch _total = Stopwatch.StartNew();
    private Stopwatch _step = new();
    private int _index;
    private int _lastDecile = -1;
    private int _lastWidth;

    public TimeSpan Elapsed => _total.Elapsed;

    public void Step(string text)
    {
        _index++;
        _step = Stopwatch.StartNew();
        _lastDecile = -1;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[{_index}/{steps}] {text}"));
    }

    public void Progress(double percent, string detail)
    {
        percent = Math.Clamp(percent, 0, 100);
        var filled = (int)(percent / 5);
        var line = string.Create(CultureInfo.InvariantCulture, $"      [{new string('#', filled)}{new string('.', 20 - filled)}] {percent,5:0.0}%  {detail}");
        if (_live)
        {
            output.Write("\r" + line.PadRight(_lastWidth));
            _lastWidth = line.Length;
            return;
        }

        var decile = (int)(percent / 10);
        if (decile != _lastDecile)
        {
            _lastDecile = decile;
            output.WriteLine(line);
        }
    }

    public void Done(string text)
    {
        if (_live && _lastWidth > 0)
            output.WriteLine();
        _lastWidth = 0;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"      {text} ({_step.Elapsed.TotalSeconds:0.0} s)"));
    }
}
