using System.CommandLine;
using Tccg.Core.Configuration;

namespace Tccg.Cli.Commands;

/// <summary><c>tccg init</c>: write a commented configuration file with every key at its default.</summary>
internal static class InitCommand
{
    public static Command Create()
    {
        var path = new Option<string>("--path")
        {
            Description = "File to write",
            HelpName = "FILE",
            DefaultValueFactory = _ => "appsettings.json",
        };
        var force = new Option<bool>("--force") { Description = "Overwrite the file if it exists" };
        var command = new Command("init", "Write a commented configuration file (appsettings.json) with every setting and its default")
        {
            path,
            force,
        };
        command.SetAction(async (parse, ct) =>
        {
            var file = Path.GetFullPath(parse.GetValue(path)!);
            if (File.Exists(file) && !parse.GetValue(force))
                throw new CliException($"{file} already exists; use --force to overwrite it.");
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            var temp = file + ".tmp";
            await File.WriteAllTextAsync(temp, ConfigReference.WriteAppSettings(), ct);
            File.Move(temp, file, overwrite: true);
            await parse.InvocationConfiguration.Output.WriteLineAsync($"Wrote {file}");
            return TccgCli.ExitOk;
        });
        return command;
    }
}
