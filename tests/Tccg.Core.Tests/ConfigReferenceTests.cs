using Microsoft.Extensions.Configuration;
using Tccg.Core.Configuration;

namespace Tccg.Core.Tests;

public class ConfigReferenceTests
{
    [Fact]
    public void Keys_IncludeTheDesignContractKeys()
    {
        var paths = ConfigReference.Keys.Select(k => k.Path).ToHashSet();
        foreach (var key in new[]
                 {
                     "Tccg:Database:Provider", "Tccg:Database:ConnectionString", "Tccg:Storage:Root",
                     "Tccg:Twitch:ClientId", "Tccg:Twitch:ClientSecret", "Tccg:Twitch:AuthBaseUrl",
                     "Tccg:Twitch:HelixBaseUrl", "Tccg:Twitch:GqlUrl", "Tccg:Twitch:GqlClientId",
                     "Tccg:Twitch:ClipAccessHash", "Tccg:Editor:EnforceIntro", "Tccg:Editor:EnforceOutro",
                     "Tccg:Editor:EnforceInterval", "Tccg:Editor:EnforceFirstClip",
                 })
            Assert.Contains(key, paths);
    }

    [Fact]
    public void WriteAppSettings_ParsesAndBindsBackToEveryDefault()
    {
        var file = Path.Combine(Path.GetTempPath(), $"tccg-{Guid.NewGuid():N}.json");
        File.WriteAllText(file, ConfigReference.WriteAppSettings());
        try
        {
            var config = new ConfigurationBuilder().AddJsonFile(file).Build();
            foreach (var key in ConfigReference.Keys)
            {
                if (key.Type.IsArray)
                {
                    // An empty list is written as [] and reads back as an empty section.
                    Assert.Empty(config.GetSection(key.Path).GetChildren());
                    continue;
                }

                var raw = config[key.Path];
                Assert.True(raw is not null, $"{key.Path} is missing from the written file");
                Assert.Equal(ConfigReference.FormatJson(key.Default).Trim('"'), raw, ignoreCase: true);
            }
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void Defaults_MatchDesignSection8()
    {
        Assert.Equal("https://id.twitch.tv", new TwitchOptions().AuthBaseUrl);
        Assert.Equal("https://api.twitch.tv/helix", new TwitchOptions().HelixBaseUrl);
        Assert.Equal("https://gql.twitch.tv/gql", new TwitchOptions().GqlUrl);
        Assert.Equal("data", new StorageOptions().Root);
        Assert.Equal(DatabaseProvider.Sqlite, new DatabaseOptions().Provider);
        Assert.Equal("Data Source=" + Path.Combine("x", "tccg.db"),
            new DatabaseOptions().ResolveConnectionString(new StorageOptions { Root = "x" }));
    }
}
