using System.Net.Http.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Tccg.Server.Tests;

/// <summary>A real server on a free loopback port with its own data folder; one per test.</summary>
internal sealed class TestServer : IAsyncDisposable
{
    private TestServer(WebApplication app, string dataDir, Uri baseUrl)
    {
        App = app;
        DataDir = dataDir;
        BaseUrl = baseUrl;
    }

    public WebApplication App { get; }
    public string DataDir { get; }
    public Uri BaseUrl { get; }

    public static async Task<TestServer> StartAsync(IDictionary<string, string?>? settings = null)
    {
        var dataDir = Path.Combine(Path.GetTempPath(), "tccg-server-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dataDir);
        var values = new Dictionary<string, string?>
        {
            ["Tccg:Storage:Root"] = dataDir,
            ["Tccg:Server:InProcessGenerator"] = "false",
            ["Tccg:Server:Automation"] = "false",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
            values[key] = value;
        var config = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var app = ServerApp.Build(config, urls: "http://127.0.0.1:0", logging: _ => { });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new TestServer(app, dataDir, new Uri(address));
    }

    public Task<Tccg.Storage.Accounts.User> AddUserAsync(string name, string password, Tccg.Storage.Accounts.UserRole role) =>
        App.Services.GetRequiredService<Tccg.Storage.Accounts.IUserStore>().AddAsync(name, password, role, CancellationToken.None);

    /// <summary>A client logged in as a new user of the given role, sending the anti-forgery header.</summary>
    public async Task<HttpClient> LoginAsNewUserAsync(string name, Tccg.Storage.Accounts.UserRole role, string password = "correct horse battery")
    {
        await AddUserAsync(name, password, role);
        return await LoginAsync(name, password);
    }

    /// <summary>A client logged in as an existing user, sending the anti-forgery header.</summary>
    public async Task<HttpClient> LoginAsync(string name, string password = "correct horse battery")
    {
        var client = CreateClient();
        var response = await client.PostAsJsonAsync(new Uri("/api/v1/auth/login", UriKind.Relative), new { name, password });
        response.EnsureSuccessStatusCode();
        var session = await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
        client.DefaultRequestHeaders.Add("X-CSRF-TOKEN", session.GetProperty("csrfToken").GetString());
        return client;
    }

    public HttpClient CreateClient(bool cookies = true) =>
        new(new HttpClientHandler { UseCookies = cookies, AllowAutoRedirect = false }) { BaseAddress = BaseUrl };

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
        try
        {
            if (Directory.Exists(DataDir))
                Directory.Delete(DataDir, recursive: true);
            else
                File.Delete(DataDir);
        }
        catch (IOException)
        {
        }
    }
}
