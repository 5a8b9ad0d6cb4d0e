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
            foreach (var (type, _, _) in ConfigReference.Sections)
                _ = Read(services, type);
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

    /// <summary><c>IOptions&lt;T&gt;.Value</c> for an options type known at run time, with the binder's own exceptions.</summary>
    private static object? Read(IServiceProvider services, Type type)
    {
        var options = typeof(IOptions<>).MakeGenericType(type);
        try
        {
            return options.GetProperty(nameof(IOptions<object>.Value))!.GetValue(services.GetRequiredService(options));
        }
        catch (System.Reflection.TargetInvocationException e) when (e.InnerException is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(e.InnerException);
            throw;
        }
    }
}

/// <summary>A configuration value is missing or wrong; the message names the key.</summary>
public sealed class InvalidConfigurationException(string message) : Exception("Invalid configuration: " + message);
