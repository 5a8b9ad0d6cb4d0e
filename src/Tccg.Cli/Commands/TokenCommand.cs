using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Tccg.Server.Application;
using Tccg.Storage.Accounts;

namespace Tccg.Cli.Commands;

/// <summary><c>tccg token create|list|revoke</c>: bearer tokens for video generators and scripts.</summary>
internal static class TokenCommand
{
    public static Command Create()
    {
        var command = new Command("token", "Manage bearer tokens for video generators (workers) and scripts");
        command.Add(CreateToken());
        command.Add(List());
        command.Add(Revoke());
        return command;
    }

    private static Command CreateToken()
    {
        var worker = new Option<string?>("--worker") { Description = "Create a worker token for a video generator with this name", HelpName = "NAME" };
        var script = new Option<string?>("--script") { Description = "Create a script token with this name (needs --user)", HelpName = "NAME" };
        var user = new Option<string?>("--user")
        {
            Description = "The user a script token acts as (required with --script): it gets that user's role and sees what they see",
            HelpName = "LOGIN",
        };
        var command = new Command("create", "Create a token and print its secret once (it cannot be shown again)") { worker, script, user };
        command.SetAction(async (parse, ct) =>
        {
            var (name, kind) = (parse.GetValue(worker), parse.GetValue(script)) switch
            {
                ({ } w, null) => (w, "worker"),
                (null, { } s) => (s, "script"),
                _ => throw new CliUsageException("Give exactly one of --worker NAME or --script NAME --user LOGIN."),
            };
            if (string.IsNullOrWhiteSpace(name))
                throw new CliUsageException("The token name must not be empty.");
            var login = parse.GetValue(user);
            if (kind == "script" && string.IsNullOrWhiteSpace(login))
                throw new CliUsageException("A script token acts as a user: add --user LOGIN (see `tccg user list`).");
            if (kind == "worker" && login is not null)
                throw new CliUsageException("--user is for script tokens; a worker token belongs to no user.");
            using var host = await AccountsCli.StartAsync(parse, ct);
            var created = await AccountsCli.RunAsync(admin => admin.CreateTokenAsync(AccountsCli.Caller, name,
                kind == "script" ? TokenKind.Script : TokenKind.Worker, login, ct), host);
            var output = parse.InvocationConfiguration.Output;
            await output.WriteLineAsync(created.Secret);
            var owner = created.Token.UserId is null ? "" : $" acting as {login}";
            await parse.InvocationConfiguration.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"Created {kind} token {created.Token.Id} ({name}){owner}. Copy the secret above now: it is stored only as a hash and cannot be shown again."));
            return TccgCli.ExitOk;
        });
        return command;
    }

    private static Command List()
    {
        var command = new Command("list", "List tokens (never their secrets)");
        command.SetAction(async (parse, ct) =>
        {
            using var host = await AccountsCli.StartAsync(parse, ct);
            var tokens = await AccountsCli.RunAsync(admin => admin.ListTokensAsync(AccountsCli.Caller, ct), host);
            var output = parse.InvocationConfiguration.Output;
            if (tokens.Count == 0)
            {
                await output.WriteLineAsync("No tokens yet. Create one with `tccg token create --worker NAME`.");
                return TccgCli.ExitOk;
            }
            await output.WriteAsync(AccountsCli.Table(
                ["ID", "NAME", "KIND", "CREATED (UTC)", "LAST USED (UTC)", "STATE"],
                tokens.Select(t => new[]
                {
                    t.Id.ToString(CultureInfo.InvariantCulture), t.Name, t.Kind.ToString().ToLowerInvariant(), AccountsCli.Time(t.CreatedAt),
                    t.LastUsedAt is { } used ? AccountsCli.Time(used) : "never",
                    t.RevokedAt is { } revoked ? "revoked " + AccountsCli.Time(revoked) : "active",
                })));
            return TccgCli.ExitOk;
        });
        return command;
    }

    private static Command Revoke()
    {
        var id = new Argument<long>("id") { Description = "Token id (from `tccg token list`)" };
        var command = new Command("revoke", "Revoke a token: requests with it are refused from now on") { id };
        command.SetAction(async (parse, ct) =>
        {
            var tokenId = parse.GetValue(id);
            using var host = await AccountsCli.StartAsync(parse, ct);
            await AccountsCli.RunAsync(async admin =>
            {
                await admin.RevokeTokenAsync(AccountsCli.Caller, tokenId, ct);
                return true;
            }, host);
            await parse.InvocationConfiguration.Output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"Revoked token {tokenId}."));
            return TccgCli.ExitOk;
        });
        return command;
    }
}
