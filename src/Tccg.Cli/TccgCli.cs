using System.CommandLine;
using System.Runtime.InteropServices;
using Tccg.Cli.Commands;
using Tccg.Core.Configuration;

namespace Tccg.Cli;

/// <summary>The <c>tccg</c> command tree and its exit-code contract: 0 ok, 1 runtime failure, 2 wrong usage.</summary>
public static class TccgCli
{
    public const int ExitOk = 0;
    public const int ExitFailure = 1;
    public const int ExitUsage = 2;
    public const int ExitCancelled = 130;

    public static RootCommand BuildRoot()
    {
        var root = new RootCommand(
            "Tccg — Twitch clip compilation generator: find top clips, review them in the browser, render compilations.");
        GlobalOptions.AddTo(root);
        root.Add(InitCommand.Create());
        foreach (var command in CommandCatalog.All())
            root.Add(command);
        return root;
    }

    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var root = BuildRoot();
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
                await stderr.WriteLineAsync($"tccg: {error.Message}");
            await stderr.WriteLineAsync();
            await root.Parse([.. CommandPath(parse), "--help"])
                .InvokeAsync(new InvocationConfiguration { Output = stderr, Error = stderr });
            return ExitUsage;
        }

        var verbose = parse.GetValue(GlobalOptions.Verbose);
        using var cancel = new CancellationTokenSource();
        // Ctrl-C and SIGTERM cancel the running command, which cleans up (kills ffmpeg, removes temp files).
        Action<PosixSignalContext> onSignal = context =>
        {
            context.Cancel = true;
            cancel.Cancel();
        };
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, onSignal);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, onSignal);
        try
        {
            return await parse.InvokeAsync(new InvocationConfiguration
            {
                EnableDefaultExceptionHandler = false,
                ProcessTerminationTimeout = null,
                Output = stdout,
                Error = stderr,
            }, cancel.Token);
        }
        catch (CliUsageException e)
        {
            await stderr.WriteLineAsync($"tccg: {e.Message}");
            await stderr.WriteLineAsync($"Run `{string.Join(' ', ["tccg", .. CommandPath(parse)])} --help` for usage.");
            return ExitUsage;
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            await stderr.WriteLineAsync("tccg: cancelled.");
            return ExitCancelled;
        }
        catch (Exception e)
        {
            await stderr.WriteLineAsync($"tccg: error: {OneLine(e)}");
            if (verbose)
                await stderr.WriteLineAsync(e.ToString());
            else if (e is not (CliException or InvalidConfigurationException or OptionsKeyMissingException or Tccg.Server.Application.RuleException))
                await stderr.WriteLineAsync("(run with --verbose for details)");
            return ExitFailure;
        }
    }

    private static string OneLine(Exception e)
    {
        var message = e is AggregateException { InnerExceptions.Count: 1 } agg ? agg.InnerExceptions[0].Message : e.Message;
        return message.ReplaceLineEndings(" ").Trim();
    }

    /// <summary>The subcommand names leading to the command that was parsed (root excluded).</summary>
    private static List<string> CommandPath(ParseResult parse)
    {
        var names = new List<string>();
        for (var result = parse.CommandResult; result.Parent is System.CommandLine.Parsing.CommandResult parent; result = parent)
            names.Insert(0, result.Command.Name);
        return names;
    }
}

/// <summary>A runtime failure with a message fit to show as is (exit 1, no stack trace).</summary>
public class CliException(string message) : Exception(message);

/// <summary>Wrong usage found after parsing (exit 2).</summary>
public sealed class CliUsageException(string message) : Exception(message);
