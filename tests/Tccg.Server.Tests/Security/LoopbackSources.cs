using System.Net;
using System.Net.Sockets;

namespace Tccg.Server.Tests.Security;

/// <summary>Clients that connect from another loopback address (127.0.0.2, 127.0.0.3, …), so the server sees distinct sources.</summary>
internal static class LoopbackSources
{
    private static int next = 10;

    /// <summary>A loopback address no other test in this run uses.</summary>
    public static string NewAddress()
    {
        var n = Interlocked.Increment(ref next);
        return $"127.0.{n / 250}.{n % 250 + 2}";
    }

    public static HttpClient ClientFrom(this TestServer server, string localAddress, CookieContainer? cookies = null)
    {
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = true,
            CookieContainer = cookies ?? new CookieContainer(),
            ConnectCallback = async (context, ct) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    socket.Bind(new IPEndPoint(IPAddress.Parse(localAddress), 0));
                    await socket.ConnectAsync(IPAddress.Parse(context.DnsEndPoint.Host), context.DnsEndPoint.Port, ct);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        return new HttpClient(handler) { BaseAddress = server.BaseUrl };
    }
}
