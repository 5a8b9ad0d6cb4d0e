using System.CommandLine;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Tccg.Core.Configuration;

namespace Tccg.Cli;

/// <summary>Builds the configuration and service container a command runs with.</summary>
internal static class CliHost
{
    /// <summary>
    /// Configuration in rising precedence: appsettings.json (or --config), environment variables
    /// (<c>Tccg__Section__Key</c>), --set KEY=VALUE, then --data.
    /// </summary>
    public static ConfigurationManager BuildConfiguration(ParseResult parse)
    {
        var config = new ConfigurationManager();
        var file = parse.GetValue(GlobalOptions.Config);
        if (file is not null)
        {
            if (!File.Exists(file))
                throw new CliException($"Configuration file {file} does not exist (run `tccg init --path {file}` to write one).");
            config.AddJsonFile(Path.GetFullPath(file), optional: false, reloadOnChange: false);
        }
        else
        {
            config.AddJsonFile(Path.GetFullPath("appsettings.json"), optional: true, reloadOnChange: false);
        }

        config.AddEnvironmentVariables();

        var overrides = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var pair in parse.GetValue(GlobalOptions.Set) ?? [])
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
                throw new CliUsageException($"--set expects KEY=VALUE, got '{pair}'.");
            overrides[pair[..eq].Trim()] = pair[(eq + 1)..];
        }

        if (parse.GetValue(GlobalOptions.Data) is { } data)
            overrides[StorageOptions.Section + ":Root"] = data;
        config.AddInMemoryCollection(overrides);
        return config;
    }

    /// <summary>A host with options (validated now, so a bad key stops the command) and logging.</summary>
    public static IHost Build(ParseResult parse, Action<HostApplicationBuilder>? configure = null)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings
        {
            DisableDefaults = true,
            ApplicationName = "tccg",
            ContentRootPath = Directory.GetCurrentDirectory(),
        });
        builder.Configuration.AddConfiguration(BuildConfiguration(parse));
        ConfigureLogging(builder.Logging, parse.GetValue(GlobalOptions.Verbose));
        builder.Services.AddTccgOptions();
        configure?.Invoke(builder);
        var host = builder.Build();
        OptionsStartupCheck.ValidateAll(host.Services);
        return host;
    }

    /// <summary>Logs to stderr: warnings and errors, or everything informational with --verbose (and for servers).</summary>
    public static void ConfigureLogging(ILoggingBuilder logging, bool verbose, bool server = false)
    {
        logging.ClearProviders();
        logging.SetMinimumLevel(verbose || server ? LogLevel.Information : LogLevel.Warning);
        logging.AddFilter("Microsoft", verbose ? LogLevel.Information : LogLevel.Warning);
        logging.AddFilter("System.Net.Http", LogLevel.Warning);
        // A failed start is reported once, as the command's one-line error.
        logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", verbose ? LogLevel.Information : LogLevel.None);
        logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss ";
        });
        logging.Services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(
            o => o.LogToStandardErrorThreshold = LogLevel.Trace);
    }
}
