using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Tccg.Editor.Tests;

/// <summary>
/// Debian's Caddy running deploy/Caddyfile as shipped, templated for a test only where a VPS differs from a test:
/// the site address becomes https://127.0.0.1:PORT with a self-signed certificate made here (instead of Let's
/// Encrypt), the backend port is the test server's, and a global block turns the admin endpoint and the port-80
/// redirect off and keeps Caddy's state (HOME, XDG folders, storage) in a temp folder.
/// </summary>
public sealed class CaddyProxy : IAsyncDisposable
{
    public const string ShippedSite = "tccg.example.com";
    public const string ShippedBackend = "127.0.0.1:5080";
    private readonly Process _process;
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _output = new();

    private CaddyProxy(Process process, string dir, int port)
    {
        _process = process;
        Dir = dir;
        Port = port;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) _output.Enqueue(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) _output.Enqueue(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public string Dir { get; }
    public int Port { get; }
    public string Output => string.Join('\n', _output);

    public Uri BaseUrl => new($"https://127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}/tccg/");

    public static async Task<CaddyProxy> StartAsync(Uri backend)
    {
        var dir = Path.Combine(Path.GetTempPath(), "tccg-caddy-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        await TestMedia.RunAsync("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-keyout", Path.Combine(dir, "key.pem"), "-out", Path.Combine(dir, "cert.pem"), "-days", "1",
            "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost");

        var shipped = await File.ReadAllTextAsync(Path.Combine(NginxProxy.RepoRoot(), "deploy", "Caddyfile"));
        var port = NginxProxy.FreePort();
        var site = shipped.IndexOf(ShippedSite + " {", StringComparison.Ordinal);
        Assert.True(site >= 0 && shipped.Contains(ShippedBackend, StringComparison.Ordinal),
            $"deploy/Caddyfile has no '{ShippedSite} {{' site block or no backend {ShippedBackend}");
        var body = shipped[(site + ShippedSite.Length + 2)..]
            .Replace(ShippedBackend, $"127.0.0.1:{backend.Port.ToString(CultureInfo.InvariantCulture)}", StringComparison.Ordinal);
        var conf = $$"""
            {
                admin off
                auto_https disable_redirects
                servers {
                    protocols h1 h2
                }
                storage file_system {{dir}}/storage
            }
            https://127.0.0.1:{{port.ToString(CultureInfo.InvariantCulture)}} {
                bind 127.0.0.1
                tls {{dir}}/cert.pem {{dir}}/key.pem
                log {
                    output file {{dir}}/access.log
                    format json
                }
            {{body}}
            """;
        var file = Path.Combine(dir, "Caddyfile");
        await File.WriteAllTextAsync(file, conf);

        var start = new ProcessStartInfo("/usr/bin/caddy") { RedirectStandardError = true, RedirectStandardOutput = true, WorkingDirectory = dir };
        foreach (var arg in new[] { "run", "--config", file, "--adapter", "caddyfile" })
            start.ArgumentList.Add(arg);
        start.Environment["HOME"] = dir;
        start.Environment["XDG_DATA_HOME"] = Path.Combine(dir, "data");
        start.Environment["XDG_CONFIG_HOME"] = Path.Combine(dir, "config");
        var process = Process.Start(start)!;
        var proxy = new CaddyProxy(process, dir, port);
        var until = Stopwatch.StartNew();
        while (true)
        {
            if (process.HasExited)
                throw new InvalidOperationException($"caddy exited ({process.ExitCode}): {proxy.Output}");
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, port);
                return proxy;
            }
            catch (SocketException) when (until.Elapsed < TimeSpan.FromSeconds(15))
            {
                await Task.Delay(50);
            }
        }
    }

    /// <summary>The access log's lines (JSON, one per request, written when the request ends).</summary>
    public string[] AccessLog() => File.Exists(Path.Combine(Dir, "access.log")) ? File.ReadAllLines(Path.Combine(Dir, "access.log")) : [];

    public HttpClient CreateClient(string from = "127.0.0.1") => new(NginxProxy.CreateHandler(from)) { BaseAddress = BaseUrl };

    public ValueTask DisposeAsync() => NginxProxy.Stop(_process, Dir);
}
