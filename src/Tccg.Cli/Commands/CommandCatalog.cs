using System.CommandLine;

namespace Tccg.Cli.Commands;

/// <summary>Every verb of <c>tccg</c> besides <c>init</c>, one file per verb.</summary>
internal static class CommandCatalog
{
    public static IEnumerable<Command> All()
    {
        yield return RenderCommand.Create();
    }
}
