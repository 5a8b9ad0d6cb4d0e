using System.CommandLine;

namespace Tccg.Cli;

/// <summary>Options every command accepts.</summary>
internal static class GlobalOptions
{
    public static readonly Option<string?> Data = new("--data")
    {
        Description = "Data folder (database, clips, assets, renders, caches); shortcut for Tccg:Storage:Root. Default: data",
        HelpName = "DIR",
        Recursive = true,
    };

    public static readonly Option<string?> Config = new("--config")
    {
        Description = "Configuration file to read. Default: appsettings.json in the current folder, when present",
        HelpName = "FILE",
        Recursive = true,
    };

    public static readonly Option<string[]> Set = new("--set")
    {
        Description = "Override one configuration key, e.g. --set Tccg:Generator:Fps=60 (repeatable)",
        HelpName = "KEY=VALUE",
        Recursive = true,
        AllowMultipleArgumentsPerToken = false,
    };

    public static readonly Option<bool> Verbose = new("--verbose", "-v")
    {
        Description = "Show informational logs and full error details",
        Recursive = true,
    };

    public static void AddTo(RootCommand root)
    {
        root.Add(Data);
        root.Add(Config);
        root.Add(Set);
        root.Add(Verbose);
    }
}
