using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Tccg.Cli.Tests;

/// <summary>
/// The built <c>tccg</c> program run as its own OS process (<c>dotnet tccg.dll …</c>, copied beside the tests), as a
/// user or systemd runs it: its own runtime, connection pools, Data Protection and leases.
/// </summary>
internal sealed partial class TccgProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _lines = new();
    private readonly TaskCompletionSource<Uri> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private TccgProcess(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, e) => Line(e.Data);
        process.ErrorDataReceived += (_, e) => Line(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public int Id => _process.Id;

    public string Output => string.Join('\n', _lines);

    /// <summary>Starts <c>tccg ARGS</c>; <paramref name="environment"/> adds or (with null) removes variables.</summary>
    public static TccgProcess Start(IEnumerable<string> args, IDictionary<string, string?>? environment = null, string? workDir = null)
    {
        var start = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            WorkingDirectory = workDir ?? Path.GetTempPath(),
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "tccg.dll"));
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("Tccg__", StringComparison.OrdinalIgnoreCase)).ToList())
            start.Environment.Remove(name);
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null)
                start.Environment.Remove(name);
            else
                start.Environment[name] = value;
        }
        return new TccgProcess(Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start"));
    }

    /// <summary>Runs <c>tccg ARGS</c> to its end (with <paramref name="stdin"/> piped in).</summary>
    public static async Task<(int Exit, string Output)> RunAsync(IEnumerable<string> args, string? stdin = null, IDictionary<string, string?>? environment = null)
    {
        await using var process = Start(args, environment);
        if (stdin is not null)
            await process._process.StandardInput.WriteLineAsync(stdin);
        process._process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process._process.WaitForExitAsync(timeout.Token);
        process._process.WaitForExit(); // the last output lines
        return (process._process.ExitCode, process.Output);
    }

    /// <summary>Starts <c>tccg ARGS server --urls http://127.0.0.1:0</c> and waits for its "listening on" line.</summary>
    public static async Task<TccgProcess> StartServerAsync(IEnumerable<string> globalArgs, IDictionary<string, string?>? environment = null)
    {
        var server = Start([.. globalArgs, "server", "--urls", "http://127.0.0.1:0"], environment);
        var done = await Task.WhenAny(server._listening.Task, server._process.WaitForExitAsync(), Task.Delay(TimeSpan.FromSeconds(60)));
        if (done != server._listening.Task)
        {
            var output = server.Output;
            await server.DisposeAsync();
            throw new InvalidOperationException($"tccg server did not start listening: {output}");
        }
        server.BaseUrl = await server._listening.Task;
        return server;
    }

    public Uri BaseUrl { get; private set; } = new("http://127.0.0.1/");

    /// <summary>SIGKILL: the process gets no chance to clean up (release leases, close connections).</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }

    private void Line(string? line)
    {
        if (line is null)
            return;
        _lines.Enqueue(line);
        if (Listening().Match(line) is { Success: true } m)
            _listening.TrySetResult(new Uri(m.Groups[1].Value.TrimEnd('/') + "/"));
    }

    private static string DotnetHost() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host)
            ? host
            : Environment.ProcessPath is { } self && Path.GetFileNameWithoutExtension(self) == "dotnet" ? self : "dotnet";

    [GeneratedRegex(@"Tccg server listening on (http\S+)")]
    private static partial Regex Listening();
}
