using Dapper;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Data.Sqlite;
using Tccg.Cli.Commands;
using Tccg.Server;

namespace Tccg.Cli.Tests;

/// <summary>
/// One Data Protection key ring (in the database) for every host: what the server protects (a connected Twitch
/// account's refresh token) a CLI command's host reads, and the other way round, with no key files of its own.
/// </summary>
public sealed class SharedKeyRingTests : IDisposable
{
    private const string Purpose = "Tccg.Twitch.RefreshTokens.v1"; // TwitchAccounts' protector
    private readonly string _work = CliRunner.NewWorkDir();

    public void Dispose() => Directory.Delete(_work, recursive: true);

    [Fact]
    public async Task ProtectedByTheServer_IsReadByACliHost_AndBack()
    {
        var data = Path.Combine(_work, "data");
        Directory.CreateDirectory(data);
        string fromServer;
        await using (var server = ServerApp.Build(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Tccg:Storage:Root"] = data,
            ["Tccg:Server:InProcessGenerator"] = "false",
            ["Tccg:Server:Automation"] = "false",
        }).Build(), urls: "http://127.0.0.1:0", logging: _ => { }))
        {
            await server.StartAsync();
            fromServer = server.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector(Purpose).Protect("refresh-from-server");
            await server.StopAsync();
        }

        // The host `tccg download`, `tccg twitch`, `tccg find` … run with (TwitchCommandHost), as a command would build it.
        var parse = TccgCli.BuildRoot().Parse(["--data", data, "twitch", "show"]);
        string fromCli;
        using (var cli = await TwitchCommandHost.StartAsync(parse, needsTwitch: false, CancellationToken.None))
        {
            var protector = cli.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector(Purpose);
            Assert.Equal("refresh-from-server", protector.Unprotect(fromServer));
            fromCli = protector.Protect("refresh-from-cli");
        }

        await using (var again = ServerApp.Build(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Tccg:Storage:Root"] = data,
            ["Tccg:Server:InProcessGenerator"] = "false",
            ["Tccg:Server:Automation"] = "false",
        }).Build(), urls: "http://127.0.0.1:0", logging: _ => { }))
        {
            await again.StartAsync();
            Assert.Equal("refresh-from-cli", again.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector(Purpose).Unprotect(fromCli));
            await again.StopAsync();
        }

        // One key, in the database and encrypted there; no key files beside the key-encryption key.
        await using var db = new SqliteConnection($"Data Source={Path.Combine(data, "tccg.db")};Pooling=False");
        var keys = (await db.QueryAsync<string>("SELECT xml FROM data_protection_keys")).AsList();
        Assert.Single(keys);
        Assert.Contains("tccgEncryptedKey", keys[0], StringComparison.Ordinal);
        Assert.Equal(["data-protection.key"], Directory.EnumerateFiles(Path.Combine(data, "keys")).Select(Path.GetFileName));
    }

    [Fact]
    public async Task TokensProtectedWithTheFormerKeyFiles_AreStillRead()
    {
        var data = Path.Combine(_work, "old");
        Directory.CreateDirectory(data);
        // What earlier CLI versions did: keys as files in {data}/keys.
        string old;
        await using (var former = new ServiceCollection().AddLogging().AddDataProtection().SetApplicationName("tccg")
            .PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(data, "keys"))).Services.BuildServiceProvider())
            old = former.GetRequiredService<IDataProtectionProvider>().CreateProtector(Purpose).Protect("refresh-before-upgrade");

        var parse = TccgCli.BuildRoot().Parse(["--data", data, "twitch", "show"]);
        using var cli = await TwitchCommandHost.StartAsync(parse, needsTwitch: false, CancellationToken.None);
        Assert.Equal("refresh-before-upgrade", cli.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector(Purpose).Unprotect(old));
    }
}
