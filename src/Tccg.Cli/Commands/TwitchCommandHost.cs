using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Spectre.Console;
using Tccg.Core.Configuration;
using Tccg.Media;
using Tccg.Storage;
using Tccg.Storage.Database;
using Tccg.Storage.Games;
using Tccg.Twitch;

namespace Tccg.Cli.Commands;

/// <summary>Shared plumbing of the clip-bin verbs (games, find, download, clips): host, database, console, game lookup.</summary>
internal static class TwitchCommandHost
{
    /// <summary>A host with storage, media and the Twitch clients; the database is migrated to the latest schema.</summary>
    public static async Task<IHost> StartAsync(ParseResult parse, bool needsTwitch, CancellationToken ct)
    {
        var host = CliHost.Build(parse, builder =>
        {
            builder.Services.AddTccgStorage();
            builder.Services.AddTccgMedia();
            builder.Services.AddTccgTwitch();
            // The rules layer for the clip bin, as the server has it (the CLI acts as the machine's owner).
            builder.Services.TryAddSingleton<Tccg.Twitch.Automation.AutomationState>();
            builder.Services.TryAddSingleton<Tccg.Server.Features.ClipBin.ClipBinService>();
            builder.Services.TryAddSingleton<Tccg.Server.Features.Channels.ChannelsService>();
        });
        if (needsTwitch)
            host.Services.GetRequiredService<IOptions<TwitchOptions>>().Value.RequireCredentials();
        Directory.CreateDirectory(host.Services.GetRequiredService<IOptions<StorageOptions>>().Value.Root);
        await host.Services.GetRequiredService<MigrationRunner>().MigrateAsync(ct);
        return host;
    }

    /// <summary>A Spectre console writing to the command's output (fancy only on a terminal).</summary>
    public static IAnsiConsole Console(ParseResult parse)
    {
        var output = parse.InvocationConfiguration.Output;
        var terminal = ReferenceEquals(output, System.Console.Out) && !System.Console.IsOutputRedirected;
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = terminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = terminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = terminal ? InteractionSupport.Detect : InteractionSupport.No,
        });
        if (!terminal)
            console.Profile.Width = 240; // a pipe or file has no width: keep table rows on one line for grep
        return console;
    }

    /// <summary>The saved game with this name (case-insensitive) or Twitch id; a clean error listing the saved games otherwise.</summary>
    public static async Task<Game> FindSavedGameAsync(IGameStore games, string name, CancellationToken ct)
    {
        var all = await games.ListAsync(ct);
        var game = all.FirstOrDefault(g => string.Equals(g.Name, name.Trim(), StringComparison.OrdinalIgnoreCase))
            ?? all.FirstOrDefault(g => g.TwitchGameId == name.Trim());
        if (game is not null)
            return game;
        var saved = all.Count == 0 ? "no games are saved yet (add one with `tccg games add NAME`)" : "saved games: " + string.Join(", ", all.Select(g => g.Name));
        throw new CliException($"No saved game named \"{name}\"; {saved}.");
    }

    public static string Escape(string text) => Markup.Escape(text);

    /// <summary>Runs a command body; Twitch's refusals (credentials, rotated hash, malformed answers) become one clean line.</summary>
    /// <summary>The caller of the clip-bin verbs: whoever runs tccg on the server's machine.</summary>
    public static Tccg.Server.Application.CurrentUser Caller { get; } = Tccg.Server.Application.CurrentUser.System("tccg");

    public static async Task<int> GuardAsync(Func<Task<int>> body)
    {
        try
        {
            return await body();
        }
        catch (TwitchApiException e)
        {
            throw new CliException(e.Message);
        }
    }
}
