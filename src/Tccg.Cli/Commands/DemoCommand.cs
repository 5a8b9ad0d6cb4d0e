using System.CommandLine;
using Tccg.Cli.Demo;

namespace Tccg.Cli.Commands;

/// <summary><c>tccg demo</c>: the whole job, offline, against the built-in Twitch simulator.</summary>
internal static class DemoCommand
{
    public static Command Create()
    {
        var exit = new Option<bool>("--exit-after-render") { Description = "Stop once the video is rendered instead of serving the editor until Ctrl-C" };
        var urls = new Option<string>("--urls")
        {
            Description = "Where the demo server listens (a free port is used when this one is taken)",
            HelpName = "URLS",
            DefaultValueFactory = _ => "http://127.0.0.1:5080",
        };
        var clips = new Option<int>("--clips")
        {
            Description = "How many clips the demo compilation keeps (2-30)",
            HelpName = "N",
            DefaultValueFactory = _ => 6,
        };
        clips.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() is < 2 or > 30)
                r.AddError("--clips must be between 2 and 30.");
        });
        var command = new Command("demo",
            "Run everything offline on loopback: Twitch simulator, server, generator; find, download, build and render a compilation. " +
            "Uses a fresh data folder (default data/demo, or --data DIR) and prints the MP4, credits and editor login.")
        {
            exit,
            urls,
            clips,
        };
        command.SetAction(async (parse, ct) =>
        {
            var settings = new DemoSettings(
                parse.GetValue(GlobalOptions.Data) ?? Path.Combine("data", "demo"),
                parse.GetValue(urls)!,
                parse.GetValue(clips),
                parse.GetValue(exit),
                parse.GetValue(GlobalOptions.Verbose));
            var runner = new DemoRunner(settings, CliHost.BuildConfiguration(parse), parse.InvocationConfiguration.Output);
            return await runner.RunAsync(ct);
        });
        return command;
    }
}
