using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Tccg.Core.Configuration;

/// <summary>Reads every options class once so a bad value fails now, naming its key, not deep inside a command.</summary>
public static class OptionsStartupCheck
{
    public static void ValidateAll(IServiceProvider services)
    {
        try
        {
            _ = services.GetRequiredService<IOptions<DatabaseOptions>>().Value;
            _ = services.GetRequiredService<IOptions<StorageOptions>>().Value;
            _ = services.GetRequiredService<IOptions<TwitchOptions>>().Value;
            _ = services.GetRequiredService<IOptions<ServerOptions>>().Value;
            _ = services.GetRequiredService<IOptions<GeneratorOptions>>().Value;
            _ = services.GetRequiredService<IOptions<EditorOptions>>().Value;
            _ = services.GetRequiredService<IOptions<DownloaderOptions>>().Value;
            _ = services.GetRequiredService<IOptions<ForwardedHeadersSettings>>().Value;
            _ = services.GetRequiredService<IOptions<CertificateOptions>>().Value;
            _ = services.GetRequiredService<IOptions<BackupOptions>>().Value;
        }
        catch (OptionsValidationException e)
        {
            throw new InvalidConfigurationException(string.Join(" ", e.Failures));
        }
        catch (InvalidOperationException e) when (e.Message.StartsWith("Failed to convert configuration value", StringComparison.Ordinal))
        {
            // The binder names the key ("... at 'Tccg:Generator:Fps' to type 'System.Int32'").
            throw new InvalidConfigurationException(e.Message);
        }
    }
}

/// <summary>A configuration value is missing or wrong; the message names the key.</summary>
public sealed class InvalidConfigurationException(string message) : Exception("Invalid configuration: " + message);
