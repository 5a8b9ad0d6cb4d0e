using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace Tccg.Editor.Tests;

/// <summary>
/// Debian's nginx on a loopback port with a self-signed certificate made here, in front of a server under /tccg/.
/// It runs the <c>map</c> and <c>location /tccg/</c> blocks of deploy/nginx-tccg.conf as written (only the backend
/// port is changed), with its own config, pid and temp folders (not the system service), as one process.
/// </summary>
public sealed partial class NginxProxy : IAsyncDisposable
{
    private readonly Process _process;

    private NginxProxy(Process process, string dir, int port)
    {
        _process = process;
        Dir = dir;
        Port = port;
    }

    public string Dir { get; }
    public int Port { get; }

    /// <summary>The address nginx connects to the backend from (the trusted proxy), unlike the browser's 127.0.0.1.</summary>
    public const string ProxyAddress = "127.0.0.2";

    public Uri BaseUrl => new($"https://127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}/tccg/");

    public string ErrorLog => File.Exists(Path.Combine(Dir, "error.log")) ? File.ReadAllText(Path.Combine(Dir, "error.log")) : "";

    public static async Task<NginxProxy> StartAsync(Uri backend)
    {
        var dir = Path.Combine(Path.GetTempPath(), "tccg-nginx-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        await TestMedia.RunAsync("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-keyout", Path.Combine(dir, "key.pem"), "-out", Path.Combine(dir, "cert.pem"), "-days", "1",
            "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost");

        var site = await File.ReadAllTextAsync(Path.Combine(RepoRoot(), "deploy", "nginx-tccg.conf"));
        var map = MapBlock().Match(site);
        var location = LocationBlock().Match(site);
        Assert.True(map.Success && location.Success, "deploy/nginx-tccg.conf has no map $http_upgrade block or location /tccg/ block");
        var proxied = location.Value.Replace("http://127.0.0.1:5080", $"http://127.0.0.1:{backend.Port.ToString(CultureInfo.InvariantCulture)}", StringComparison.Ordinal);
        Assert.NotEqual(location.Value, proxied);

        var port = FreePort();
        var conf = $$"""
            daemon off;
            master_process off;
            pid {{dir}}/nginx.pid;
            error_log {{dir}}/error.log warn;
            events { worker_connections 256; }
            http {
                access_log {{dir}}/access.log;
                client_body_temp_path {{dir}}/body;
                proxy_temp_path {{dir}}/proxy;
                fastcgi_temp_path {{dir}}/fastcgi;
                uwsgi_temp_path {{dir}}/uwsgi;
                scgi_temp_path {{dir}}/scgi;
                {{map.Value}}
                server {
                    listen 127.0.0.1:{{port.ToString(CultureInfo.InvariantCulture)}} ssl;
                    server_name _;
                    ssl_certificate {{dir}}/cert.pem;
                    ssl_certificate_key {{dir}}/key.pem;
                    proxy_bind {{ProxyAddress}};
                    {{proxied}}
                }
            }
            """;
        var file = Path.Combine(dir, "nginx.conf");
        await File.WriteAllTextAsync(file, conf);
        var start = new ProcessStartInfo("/usr/sbin/nginx") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var arg in new[] { "-p", dir, "-c", file, "-e", Path.Combine(dir, "error.log") })
            start.ArgumentList.Add(arg);
        var process = Process.Start(start)!;
        var proxy = new NginxProxy(process, dir, port);
        var until = Stopwatch.StartNew();
        while (true)
        {
            if (process.HasExited)
                throw new InvalidOperationException($"nginx exited ({process.ExitCode}): {await process.StandardError.ReadToEndAsync()} {proxy.ErrorLog}");
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, port);
                return proxy;
            }
            catch (SocketException) when (until.Elapsed < TimeSpan.FromSeconds(10))
            {
                await Task.Delay(50);
            }
        }
    }

    /// <summary>A client that trusts this proxy's certificate and connects from <paramref name="from"/> (a loopback address).</summary>
    public HttpClient CreateClient(string from = "127.0.0.1", bool cookies = true) =>
        new(CreateHandler(from, cookies)) { BaseAddress = BaseUrl };

    public static SocketsHttpHandler CreateHandler(string from = "127.0.0.1", bool cookies = false)
    {
        return new SocketsHttpHandler
        {
            UseCookies = cookies,
            AllowAutoRedirect = false,
            SslOptions = { RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate?.Subject == "CN=127.0.0.1" },
            ConnectCallback = async (context, ct) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    socket.Bind(new IPEndPoint(IPAddress.Parse(from), 0));
                    await socket.ConnectAsync(context.DnsEndPoint, ct);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
    }

    public ValueTask DisposeAsync() => Stop(_process, Dir);

    /// <summary>Stops a proxy process started for a test and removes its folder (nginx here, Caddy too).</summary>
    internal static ValueTask Stop(Process process, string dir)
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(5000);
        }
        process.Dispose();
        try
        {
            Directory.Delete(dir, recursive: true);
        }
        catch (IOException)
        {
        }
        return ValueTask.CompletedTask;
    }

    internal static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !Directory.Exists(Path.Combine(dir.FullName, "deploy")))
            dir = dir.Parent;
        return dir?.FullName ?? throw new DirectoryNotFoundException("The repository root (with deploy/) was not found above " + AppContext.BaseDirectory);
    }

    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [GeneratedRegex(@"map \$http_upgrade \$connection_upgrade \{[^}]*\}")]
    private static partial Regex MapBlock();

    [GeneratedRegex(@"location /tccg/ \{[^}]*\}")]
    private static partial Regex LocationBlock();
}
