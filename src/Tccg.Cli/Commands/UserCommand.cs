using System.CommandLine;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Tccg.Core.Configuration;
using Tccg.Server.Application;
using Tccg.Server.Features.Admin;
using Tccg.Storage;
using Tccg.Storage.Accounts;
using Tccg.Storage.Database;

namespace Tccg.Cli.Commands;

/// <summary><c>tccg user add|remove|passwd|list</c>: web editor accounts.</summary>
internal static class UserCommand
{
    public static Command Create()
    {
        var command = new Command("user", "Manage the accounts that log in to the web editor");
        command.Add(Add());
        command.Add(Remove());
        command.Add(Passwd());
        command.Add(Logout());
        command.Add(List());
        return command;
    }

    private static Argument<string> NameArgument() => new("name") { Description = "User name (as typed at login; case-sensitive)" };

    private static Option<bool> PasswordStdin() => new("--password-stdin")
    {
        Description = "Read the password from the first line of standard input instead of prompting",
    };

    private static Command Add()
    {
        var name = NameArgument();
        var admin = new Option<bool>("--admin") { Description = "Give the user the admin role (manage users, tokens and settings); default: editor" };
        var stdin = PasswordStdin();
        var command = new Command("add", "Create a user; asks for the password twice unless --password-stdin") { name, admin, stdin };
        command.SetAction(async (parse, ct) =>
        {
            var user = parse.GetValue(name)!;
            var password = await AccountsCli.ReadPasswordAsync(parse, parse.GetValue(stdin), $"Password for {user}: ", ct);
            using var host = await AccountsCli.StartAsync(parse, ct);
            var role = parse.GetValue(admin) ? UserRole.Admin : UserRole.Editor;
            await AccountsCli.RunAsync(admin => admin.AddUserAsync(AccountsCli.Caller, user, password, role, ct), host);
            await parse.InvocationConfiguration.Output.WriteLineAsync($"Added {AccountsCli.RoleName(role)} {user}.");
            return TccgCli.ExitOk;
        });
        return command;
    }

    private static Command Remove()
    {
        var name = NameArgument();
        var command = new Command("remove", "Delete a user (their tokens go too; their compilations stay)") { name };
        command.SetAction(async (parse, ct) =>
        {
            var user = parse.GetValue(name)!;
            using var host = await AccountsCli.StartAsync(parse, ct);
            await AccountsCli.RunAsync(async admin =>
            {
                await admin.RemoveUserAsync(AccountsCli.Caller, user, ct);
                return true;
            }, host);
            await parse.InvocationConfiguration.Output.WriteLineAsync($"Removed {user}.");
            return TccgCli.ExitOk;
        });
        return command;
    }

    private static Command Passwd()
    {
        var name = NameArgument();
        var stdin = PasswordStdin();
        var command = new Command("passwd", "Set a user's password; every browser session of the user ends") { name, stdin };
        command.SetAction(async (parse, ct) =>
        {
            var user = parse.GetValue(name)!;
            using var host = await AccountsCli.StartAsync(parse, ct);
            // Ask for no password for a user that is not there.
            if (!(await AccountsCli.RunAsync(admin => admin.ListUsersAsync(AccountsCli.Caller, ct), host)).Any(u => u.Name == user))
                throw new CliException($"No user named {user}.");
            var password = await AccountsCli.ReadPasswordAsync(parse, parse.GetValue(stdin), $"New password for {user}: ", ct);
            await AccountsCli.RunAsync(async admin =>
            {
                await admin.SetPasswordAsync(AccountsCli.Caller, user, password, ct);
                return true;
            }, host);
            await parse.InvocationConfiguration.Output.WriteLineAsync($"Password of {user} changed; their browser sessions have ended.");
            return TccgCli.ExitOk;
        });
        return command;
    }

    private static Command Logout()
    {
        var name = NameArgument();
        var command = new Command("logout", "Log a user out everywhere: every browser session of the user ends (script tokens stay; see `tccg token revoke`)") { name };
        command.SetAction(async (parse, ct) =>
        {
            var user = parse.GetValue(name)!;
            using var host = await AccountsCli.StartAsync(parse, ct);
            await AccountsCli.RunAsync(async admin =>
            {
                await admin.EndSessionsAsync(AccountsCli.Caller, user, ct);
                return true;
            }, host);
            await parse.InvocationConfiguration.Output.WriteLineAsync($"Ended every browser session of {user}.");
            return TccgCli.ExitOk;
        });
        return command;
    }

    private static Command List()
    {
        var command = new Command("list", "List users with role and creation time");
        command.SetAction(async (parse, ct) =>
        {
            using var host = await AccountsCli.StartAsync(parse, ct);
            var users = await AccountsCli.RunAsync(admin => admin.ListUsersAsync(AccountsCli.Caller, ct), host);
            var output = parse.InvocationConfiguration.Output;
            if (users.Count == 0)
            {
                await output.WriteLineAsync("No users yet. Add one with `tccg user add NAME --admin`.");
                return TccgCli.ExitOk;
            }
            await output.WriteAsync(AccountsCli.Table(
                ["ID", "NAME", "ROLE", "CREATED (UTC)"],
                users.Select(u => new[]
                {
                    u.Id.ToString(CultureInfo.InvariantCulture), u.Name, AccountsCli.RoleName(u.Role), AccountsCli.Time(u.CreatedAt),
                })));
            return TccgCli.ExitOk;
        });
        return command;
    }
}

/// <summary>What the account verbs share: the storage host, password input and plain tables.</summary>
internal static class AccountsCli
{
    /// <summary>Whether to prompt on the terminal; tests replace it (standard input may be a terminal under a test runner).</summary>
    internal static Func<bool> StdinIsTerminal { get; set; } = () => !Console.IsInputRedirected;

    /// <summary>A host with storage registered, the data folder created and the schema migrated.</summary>
    public static async Task<IHost> StartAsync(ParseResult parse, CancellationToken ct)
    {
        var host = CliHost.Build(parse, b => b.Services.AddTccgStorage());
        try
        {
            Directory.CreateDirectory(host.Services.GetRequiredService<IOptions<StorageOptions>>().Value.Root);
            await host.Services.GetRequiredService<MigrationRunner>().MigrateAsync(ct);
            return host;
        }
        catch
        {
            host.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The first line of standard input with --password-stdin (read through <see cref="Console.In"/>, so tests
    /// can <see cref="Console.SetIn"/>); otherwise asked twice without echo when standard input is a terminal.
    /// </summary>
    public static async Task<string> ReadPasswordAsync(ParseResult parse, bool fromStdin, string prompt, CancellationToken ct)
    {
        if (fromStdin)
        {
            var line = await Console.In.ReadLineAsync(ct);
            if (string.IsNullOrEmpty(line))
                throw new CliException("--password-stdin: standard input was empty; pipe the password in, e.g. `echo \"$PW\" | tccg user add NAME --password-stdin`.");
            return line.TrimEnd('\r');
        }
        if (!StdinIsTerminal())
            throw new CliUsageException("No terminal to ask for a password: pass --password-stdin and pipe the password in.");

        var error = parse.InvocationConfiguration.Error;
        var first = ReadHidden(error, prompt);
        var second = ReadHidden(error, "Again: ");
        if (first != second)
            throw new CliException("The passwords do not match; nothing was changed.");
        return first;
    }

    /// <summary>The caller of the account verbs: whoever runs tccg on the server's machine.</summary>
    public static CurrentUser Caller { get; } = CurrentUser.System("tccg");

    /// <summary>Runs an <see cref="AdminService"/> call; its refusal becomes one line and exit code 1.</summary>
    public static async Task<T> RunAsync<T>(Func<AdminService, Task<T>> call, IHost host)
    {
        try
        {
            return await call(ActivatorUtilities.CreateInstance<AdminService>(host.Services));
        }
        catch (RuleException e)
        {
            throw new CliException(e.Errors.Count > 0 ? string.Join("; ", e.Errors.Select(m => $"{m.Field}: {m.Message}")) : e.Title);
        }
    }

    public static string RoleName(UserRole role) => role == UserRole.Admin ? "admin" : "editor";

    public static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    /// <summary>Left-aligned columns separated by two spaces.</summary>
    public static string Table(string[] headers, IEnumerable<string[]> rows)
    {
        var all = new List<string[]> { headers };
        all.AddRange(rows);
        var widths = headers.Select((_, i) => all.Max(r => r[i].Length)).ToArray();
        var text = new StringBuilder();
        foreach (var row in all)
            text.AppendLine(string.Join("  ", row.Select((cell, i) => i == row.Length - 1 ? cell : cell.PadRight(widths[i]))).TrimEnd());
        return text.ToString();
    }

    private static string ReadHidden(TextWriter prompt, string text)
    {
        prompt.Write(text);
        prompt.Flush();
        var password = new StringBuilder();
        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            if (key.Key == ConsoleKey.Enter)
                break;
            if (key.Key == ConsoleKey.Backspace)
            {
                if (password.Length > 0)
                    password.Length--;
            }
            else if (!char.IsControl(key.KeyChar))
            {
                password.Append(key.KeyChar);
            }
        }
        prompt.WriteLine();
        return password.ToString();
    }
}
