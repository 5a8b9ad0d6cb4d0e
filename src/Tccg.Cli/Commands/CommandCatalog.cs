using System.CommandLine;

namespace Tccg.Cli.Commands;

/// <summary>Every verb of <c>tccg</c> besides <c>init</c>, one file per verb.</summary>
internal static class CommandCatalog
{
    public static IEnumerable<Command> All()
    {
        yield return DemoCommand.Create();
        yield return ServerCommand.Create();
        yield return UserCommand.Create();
        yield return TokenCommand.Create();
        yield return TwitchSimCommand.Create();
        yield return GamesCommand.Create();
        yield return ChannelsCommand.Create();
        yield return FindCommand.Create();
        yield return DownloadCommand.Create();
        yield return ClipsCommand.Create();
        yield return TwitchCommand.Create();
        yield return RenderCommand.Create();
        yield return GeneratorCommand.Create();
        yield return BackupCommand.Backup();
        yield return BackupCommand.Restore();
    }
}
