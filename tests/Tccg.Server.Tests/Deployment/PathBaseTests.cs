using Microsoft.Extensions.Configuration;
using Tccg.Core.Configuration;

namespace Tccg.Server.Tests.Deployment;

/// <summary>A path prefix the server's own routes start with is refused when the server is built, naming the key.</summary>
public class PathBaseTests
{
    [Theory]
    [InlineData("/api")]
    [InlineData("/Clips/old")]
    [InlineData("/admin")]
    [InlineData("/login")]
    public async Task PathBase_StartingWithTheServersOwnSegment_IsRefused(string pathBase)
    {
        var error = await Assert.ThrowsAsync<InvalidConfigurationException>(() => BuildAsync(pathBase));
        Assert.Contains("Tccg:Server:PathBase must not start with /" + pathBase.Split('/')[1], error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/tccg")]
    [InlineData("/apis")]
    [InlineData("/video/clips")]
    public async Task PathBase_OfItsOwn_Builds(string pathBase) => await BuildAsync(pathBase);

    private static async Task BuildAsync(string pathBase)
    {
        var dataDir = Path.Combine(Path.GetTempPath(), "tccg-pathbase-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dataDir);
        try
        {
            var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Tccg:Storage:Root"] = dataDir,
                ["Tccg:Server:InProcessGenerator"] = "false",
                ["Tccg:Server:Automation"] = "false",
                ["Tccg:Server:PathBase"] = pathBase,
            }).Build();
            await using var app = ServerApp.Build(config, urls: "http://127.0.0.1:0", logging: _ => { });
        }
        finally
        {
            Directory.Delete(dataDir, recursive: true);
        }
    }
}
