namespace Tccg.Cli.Tests;

/// <summary><c>tccg user …</c> and <c>tccg token …</c> against a SQLite database in a temp data folder.</summary>
[Collection(ConsoleInput.Name)]
public class AccountCommandTests
{
    static AccountCommandTests() => Commands.AccountsCli.StdinIsTerminal = () => false;

    private static async Task<(int Exit, string Out, string Err)> RunAsync(string dir, string? stdin, params string[] args)
    {
        var before = Console.In;
        Console.SetIn(new StringReader(stdin ?? ""));
        try
        {
            return await CliRunner.RunAsync(dir, ["--data", Path.Combine(dir, "data"), .. args]);
        }
        finally
        {
            Console.SetIn(before);
        }
    }

    [Fact]
    public async Task UserAdd_WithPasswordStdin_CreatesDataFolderAndListsTheUser()
    {
        var dir = CliRunner.NewWorkDir();
        var (exit, output, err) = await RunAsync(dir, "a long password\n", "user", "add", "アリス", "--admin", "--password-stdin");
        Assert.True(exit == 0, err);
        Assert.Contains("Added admin アリス", output, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(dir, "data", "tccg.db")));

        var (listExit, list, _) = await RunAsync(dir, null, "user", "list");
        Assert.Equal(0, listExit);
        var row = Assert.Single(list.Split('\n'), l => l.Contains("アリス", StringComparison.Ordinal));
        Assert.Contains("admin", row, StringComparison.Ordinal);
        Assert.StartsWith("ID", list, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UserAdd_Twice_FailsWithOneLine()
    {
        var dir = CliRunner.NewWorkDir();
        await RunAsync(dir, "password one\n", "user", "add", "bob", "--password-stdin");
        var (exit, _, err) = await RunAsync(dir, "password two\n", "user", "add", "bob", "--password-stdin");
        Assert.Equal(TccgCli.ExitFailure, exit);
        Assert.Contains("already exists", err, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UserAdd_WithoutTerminalOrStdinFlag_ExplainsWhatToDo()
    {
        var dir = CliRunner.NewWorkDir();
        var (exit, _, err) = await RunAsync(dir, null, "user", "add", "carol");
        Assert.Equal(TccgCli.ExitUsage, exit);
        Assert.Contains("--password-stdin", err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UserAdd_ShortOrEmptyPassword_IsRefused()
    {
        var dir = CliRunner.NewWorkDir();
        var (shortExit, _, shortErr) = await RunAsync(dir, "short\n", "user", "add", "dan", "--password-stdin");
        Assert.Equal(TccgCli.ExitFailure, shortExit);
        Assert.Contains("at least 8", shortErr, StringComparison.Ordinal);
        var (emptyExit, _, emptyErr) = await RunAsync(dir, "", "user", "add", "dan", "--password-stdin");
        Assert.Equal(TccgCli.ExitFailure, emptyExit);
        Assert.Contains("empty", emptyErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UserPasswdAndRemove_WorkAndReportUnknownUsers()
    {
        var dir = CliRunner.NewWorkDir();
        await RunAsync(dir, "first password\n", "user", "add", "erin", "--password-stdin");
        var (passwd, output, _) = await RunAsync(dir, "second password\n", "user", "passwd", "erin", "--password-stdin");
        Assert.Equal(0, passwd);
        Assert.Contains("changed", output, StringComparison.Ordinal);

        var (unknown, _, unknownErr) = await RunAsync(dir, "second password\n", "user", "passwd", "nobody", "--password-stdin");
        Assert.Equal(TccgCli.ExitFailure, unknown);
        Assert.Contains("No user named nobody", unknownErr, StringComparison.Ordinal);

        Assert.Equal(0, (await RunAsync(dir, null, "user", "remove", "erin")).Exit);
        Assert.Equal(TccgCli.ExitFailure, (await RunAsync(dir, null, "user", "remove", "erin")).Exit);
        Assert.Contains("No users yet", (await RunAsync(dir, null, "user", "list")).Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Token_CreateListRevoke_ShowsSecretOnce()
    {
        var dir = CliRunner.NewWorkDir();
        var (exit, output, err) = await RunAsync(dir, null, "token", "create", "--worker", "gpu-box");
        Assert.True(exit == 0, err);
        var secret = output.Trim();
        Assert.StartsWith("tccg_", secret, StringComparison.Ordinal);
        Assert.Contains("cannot be shown again", err, StringComparison.Ordinal);

        var (_, list, _) = await RunAsync(dir, null, "token", "list");
        Assert.DoesNotContain(secret, list, StringComparison.Ordinal);
        var row = Assert.Single(list.Split('\n'), l => l.Contains("gpu-box", StringComparison.Ordinal));
        Assert.Contains("worker", row, StringComparison.Ordinal);
        Assert.Contains("active", row, StringComparison.Ordinal);
        var id = row.Split(' ', StringSplitOptions.RemoveEmptyEntries)[0];

        Assert.Equal(0, (await RunAsync(dir, null, "token", "revoke", id)).Exit);
        Assert.Contains("revoked", (await RunAsync(dir, null, "token", "list")).Out, StringComparison.Ordinal);
        var (missing, _, missingErr) = await RunAsync(dir, null, "token", "revoke", "999");
        Assert.Equal(TccgCli.ExitFailure, missing);
        Assert.Contains("No token with id 999", missingErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TokenCreate_WithoutKind_IsAUsageError()
    {
        var (exit, _, err) = await RunAsync(CliRunner.NewWorkDir(), null, "token", "create");
        Assert.Equal(TccgCli.ExitUsage, exit);
        Assert.Contains("--worker", err, StringComparison.Ordinal);
    }
}

/// <summary>Tests that replace <see cref="Console.In"/> (process-wide) run one at a time.</summary>
[CollectionDefinition(Name)]
public sealed class ConsoleInput
{
    public const string Name = "console input";
}
