using System.CommandLine;
using Microsoft.AspNetCore.Builder;
using Tccg.Server;

namespace Tccg.Cli.Commands;

/// <summary><c>tccg server</c>: the API, the web editor, the automatic finder/downloader and the render queue.</summary>
internal static class ServerCommand
{
    public static Command Create()
    {
        var urls = new Option<string?>("--urls")
        {
            Description = "Listen URLs separated by ';' (overrides Tccg:Server:Urls, default http://127.0.0.1:5080)",
            HelpName = "URLS",
        };
        var command = new Command("server", "Run the Tccg server: HTTP API, web editor, automatic clip finder/downloader and render queue")
        {
            urls,
        };
        command.SetAction(async (parse, ct) =>
        {
            var config = CliHost.BuildConfiguration(parse);
            var verbose = parse.GetValue(GlobalOptions.Verbose);
            await using var app = ServerApp.Build(config, parse.GetValue(urls), logging => CliHost.ConfigureLogging(logging, verbose, server: true));
            await app.StartAsync(ct);
            foreach (var address in app.Urls)
                await parse.InvocationConfiguration.Output.WriteLineAsync($"Tccg server listening on {address} (Ctrl-C to stop)");
            try
            {
                await Task.Delay(Timeout.Infinite, ct);
            }
            catch (OperationCanceledException)
            {
            }

            await app.StopAsync(CancellationToken.None);
            return TccgCli.ExitOk;
        });
        return command;
    }
}
