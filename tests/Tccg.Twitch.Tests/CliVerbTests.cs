using Tccg.Cli;
using Tccg.TwitchSim;

namespace Tccg.Twitch.Tests;

public sealed class CliVerbTests
{
    private static async Task<(int Exit, string Out, string Err)> Tccg(TwitchSimHost sim, string data, params string[] args)
    {
        // The simulator's settings first, so a test's own --set (later) wins.
        var split = Array.IndexOf(args, "--set");
        var all = new List<string>(split < 0 ? args : args[..split]) { "--data", data };
        foreach (var (key, value) in sim.TccgConfiguration)
            all.AddRange(["--set", $"{key}={value}"]);
        if (split >= 0)
            all.AddRange(args[split..]);
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = await TccgCli.RunAsync([.. all], stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public async Task Verbs_AddSetFindDownloadListCheckRemove_WorkEndToEnd()
    {
        await using var sim = await TwitchSimHost.StartAsync(new TwitchSimOptions
        {
            Games = [new SimGameSpec("777", "Just Chatting", 30, TimeSpan.FromDays(5))],
            LegacyClipsPerGame = 0,
            Anchor = DateTimeOffset.UtcNow.AddMinutes(-5),
        });
        var data = Path.Combine(Path.GetTempPath(), "tccg-twitch-cli", Guid.NewGuid().ToString("N"));

        var unknown = await Tccg(sim, data, "games", "add", "Just Chattin");
        Assert.Equal(1, unknown.Exit);
        Assert.Contains("Twitch has no category named \"Just Chattin\"", unknown.Err, StringComparison.Ordinal);

        var add = await Tccg(sim, data, "games", "add", "Just Chatting");
        Assert.Equal(0, add.Exit);
        Assert.Contains("Saved \"Just Chatting\" (Twitch id 777)", add.Out, StringComparison.Ordinal);
        Assert.Equal(1, (await Tccg(sim, data, "games", "add", "Just Chatting")).Exit);

        var set = await Tccg(sim, data, "games", "set", "just chatting", "--min-views", "1", "--max-duration", "60", "--block", "Nobody", "--per-broadcaster-cap", "50");
        Assert.Equal(0, set.Exit);
        Assert.Contains("blocked nobody", set.Out, StringComparison.Ordinal);
        Assert.Equal(2, (await Tccg(sim, data, "games", "set", "Just Chatting", "--min-duration", "90", "--max-duration", "60")).Exit);

        var find = await Tccg(sim, data, "find", "--game", "Just Chatting", "--period", "week");
        Assert.Equal(0, find.Exit);
        Assert.Contains("Just Chatting", find.Out, StringComparison.Ordinal);

        var download = await Tccg(sim, data, "download", "--game", "Just Chatting", "--limit", "3");
        Assert.Equal(0, download.Exit);
        Assert.Contains("3 downloaded, 0 failed", download.Out, StringComparison.Ordinal);

        var list = await Tccg(sim, data, "clips", "list", "--status", "downloaded");
        Assert.Equal(0, list.Exit);
        Assert.Equal(3, list.Out.Split('\n').Count(l => l.Contains("Downloaded", StringComparison.Ordinal)));

        var games = await Tccg(sim, data, "games", "list");
        Assert.Equal(0, games.Exit);
        Assert.Contains("Just Chatting", games.Out, StringComparison.Ordinal);
        Assert.Contains("Downloaded", games.Out, StringComparison.Ordinal);

        foreach (var file in Directory.GetFiles(Path.Combine(data, "clips"), "*.mp4", SearchOption.AllDirectories).Take(1))
            File.Delete(file);
        var check = await Tccg(sim, data, "clips", "check-missing");
        Assert.Equal(0, check.Exit);
        Assert.Contains("1 clip(s) marked Missing", check.Out, StringComparison.Ordinal);

        Assert.Equal(0, (await Tccg(sim, data, "games", "remove", "Just Chatting")).Exit);
        Assert.Equal(1, (await Tccg(sim, data, "games", "remove", "Just Chatting")).Exit);
        Directory.Delete(data, recursive: true);
    }

    [Fact]
    public async Task Download_RotatedHash_FailsWithOneLineNamingTheKey()
    {
        await using var sim = await TwitchSimHost.StartAsync(new TwitchSimOptions
        {
            Games = [new SimGameSpec("777", "Just Chatting", 5, TimeSpan.FromDays(5))],
            LegacyClipsPerGame = 0,
            Anchor = DateTimeOffset.UtcNow.AddMinutes(-5),
        });
        var data = Path.Combine(Path.GetTempPath(), "tccg-twitch-cli", Guid.NewGuid().ToString("N"));
        Assert.Equal(0, (await Tccg(sim, data, "games", "add", "Just Chatting")).Exit);
        Assert.Equal(0, (await Tccg(sim, data, "find")).Exit);
        sim.AcceptGql(); // every way stale
        var download = await Tccg(sim, data, "download");
        Assert.Equal(1, download.Exit);
        var line = Assert.Single(download.Err.Trim().Split('\n'));
        Assert.Contains("Tccg:Twitch:ClipAccessHash", line, StringComparison.Ordinal);
        Directory.Delete(data, recursive: true);
    }

    [Fact]
    public async Task Find_WithoutCredentials_FailsWithTheOneLineKeyError()
    {
        var data = Path.Combine(Path.GetTempPath(), "tccg-twitch-cli", Guid.NewGuid().ToString("N"));
        var stderr = new StringWriter();
        var exit = await TccgCli.RunAsync(["find", "--data", data, "--set", "Tccg:Twitch:ClientId="], new StringWriter(), stderr);
        Assert.Equal(1, exit);
        var lines = stderr.ToString().Trim().Split('\n');
        Assert.Single(lines);
        Assert.Contains("Tccg:Twitch:ClientId is not set", lines[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task TwitchDoctorAndSetHash_StaleWaysFailTheDoctor_ANewHashMakesDownloadsWorkAgain()
    {
        await using var sim = await TwitchSimHost.StartAsync(new TwitchSimOptions
        {
            Games = [new SimGameSpec("777", "Just Chatting", 5, TimeSpan.FromDays(5))],
            LegacyClipsPerGame = 0,
            Anchor = DateTimeOffset.UtcNow.AddMinutes(-5),
        });
        var data = Path.Combine(Path.GetTempPath(), "tccg-twitch-cli", Guid.NewGuid().ToString("N"));
        var clean = await Tccg(sim, data, "twitch", "doctor");
        Assert.True(clean.Exit == 0, clean.Out + clean.Err);
        Assert.Contains("Downloads would work.", clean.Out, StringComparison.Ordinal);

        Assert.Equal(0, (await Tccg(sim, data, "games", "add", "Just Chatting")).Exit);
        Assert.Equal(0, (await Tccg(sim, data, "find")).Exit);
        sim.AcceptGql();
        var stale = await Tccg(sim, data, "twitch", "doctor");
        Assert.Equal(1, stale.Exit);
        Assert.Contains("stale", stale.Out, StringComparison.Ordinal);
        Assert.Contains("tccg twitch set-hash --clip-access HASH", stale.Out, StringComparison.Ordinal);
        Assert.Equal(1, (await Tccg(sim, data, "download")).Exit);

        Assert.Equal(2, (await Tccg(sim, data, "twitch", "set-hash", "--clip-access", "nothex")).Exit);
        var fresh = sim.RotateClipAccessHash();
        var set = await Tccg(sim, data, "twitch", "set-hash", "--clip-access", fresh);
        Assert.True(set.Exit == 0, set.Err);
        var show = await Tccg(sim, data, "twitch", "show");
        Assert.Contains(fresh, show.Out, StringComparison.Ordinal);
        Assert.Contains("Database", show.Out, StringComparison.Ordinal);
        var download = await Tccg(sim, data, "download");
        Assert.True(download.Exit == 0, download.Err);
        Assert.Contains("5 downloaded", download.Out, StringComparison.Ordinal);
        Assert.Equal(0, (await Tccg(sim, data, "twitch", "doctor")).Exit);
        Directory.Delete(data, recursive: true);
    }
}
