using System.CommandLine;

namespace Tccg.Cli.Tests;

public class CommandLineContractTests
{
    [Fact]
    public void EveryCommandOptionAndArgument_HasHelpText()
    {
        var missing = new List<string>();
        Walk(TccgCli.BuildRoot(), "tccg", missing);
        Assert.True(missing.Count == 0, "No help text: " + string.Join(", ", missing));
    }

    private static void Walk(Command command, string path, List<string> missing)
    {
        if (string.IsNullOrWhiteSpace(command.Description))
            missing.Add(path);
        foreach (var option in command.Options.Where(o => string.IsNullOrWhiteSpace(o.Description)))
            missing.Add($"{path} {option.Name}");
        foreach (var argument in command.Arguments.Where(a => string.IsNullOrWhiteSpace(a.Description)))
            missing.Add($"{path} <{argument.Name}>");
        foreach (var sub in command.Subcommands)
            Walk(sub, $"{path} {sub.Name}", missing);
    }

    [Fact]
    public async Task UnknownOption_PrintsProblemAndUsage_Exits2()
    {
        var (exit, _, err) = await CliRunner.RunAsync(CliRunner.NewWorkDir(), "init", "--no-such-option");
        Assert.Equal(TccgCli.ExitUsage, exit);
        Assert.Contains("--no-such-option", err, StringComparison.Ordinal);
        Assert.Contains("Usage:", err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_Exits0_AndListsInit()
    {
        var (exit, output, _) = await CliRunner.RunAsync(CliRunner.NewWorkDir(), "--help");
        Assert.Equal(0, exit);
        Assert.Contains("init", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Init_WritesConfig_ThenRefusesToOverwrite()
    {
        var dir = CliRunner.NewWorkDir();
        var (exit, _, _) = await CliRunner.RunAsync(dir, "init");
        Assert.Equal(0, exit);
        var text = await File.ReadAllTextAsync(Path.Combine(dir, "appsettings.json"));
        Assert.Contains("\"ClipAccessHash\"", text, StringComparison.Ordinal);
        Assert.Contains("// ", text, StringComparison.Ordinal);

        var (again, _, err) = await CliRunner.RunAsync(dir, "init");
        Assert.Equal(TccgCli.ExitFailure, again);
        Assert.Contains("--force", err, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", err, StringComparison.Ordinal);
    }
}

public class UsageHintTests
{
    [Fact]
    public async Task UsageErrorInNestedVerb_PointsAtTheFullCommandsHelp()
    {
        // --set without "=" is a usage error found after parsing, inside `clips list`.
        var (exit, _, err) = await CliRunner.RunAsync(CliRunner.NewWorkDir(), "clips", "list", "--set", "novalue");
        Assert.Equal(TccgCli.ExitUsage, exit);
        Assert.Contains("tccg clips list --help", err, StringComparison.Ordinal);
    }
}
