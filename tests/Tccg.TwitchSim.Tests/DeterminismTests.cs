namespace Tccg.TwitchSim.Tests;

public class DeterminismTests
{
    [Fact]
    public async Task SameSeed_GivesTheSameHelixAnswers_OtherSeed_Differs()
    {
        static async Task<string> TopClipsAsync(int seed)
        {
            await using var sim = await TestSim.StartAsync(o => o.Seed = seed);
            var json = await sim.HelixJsonAsync("/clips?game_id=509658&first=100");
            return json.GetProperty("data").GetRawText().Replace(sim.Host.BaseUrl, "BASE", StringComparison.Ordinal);
        }

        var first = await TopClipsAsync(3);
        Assert.Equal(first, await TopClipsAsync(3));
        Assert.NotEqual(first, await TopClipsAsync(4));
    }

    [Fact]
    public void LargeWorld_HasEveryClip_SortedByViews()
    {
        var world = World.WorldGenerator.Generate(
            new TwitchSimOptions { Seed = 1, Games = [new SimGameSpec("33214", "Fortnite", 50_000, TimeSpan.FromDays(7))] },
            TestSim.Anchor);
        var clips = world.ClipsByGame["33214"];
        Assert.Equal(50_000 + 3, clips.Length);
        for (var i = 1; i < clips.Length; i++)
            Assert.True(clips[i - 1].ViewCount >= clips[i].ViewCount);
    }
}
