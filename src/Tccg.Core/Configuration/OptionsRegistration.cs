using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Tccg.Core.Configuration;

public static class OptionsRegistration
{
    /// <summary>Binds every <c>Tccg:*</c> section to its options class, validated at start.</summary>
    public static IServiceCollection AddTccgOptions(this IServiceCollection services)
    {
        var add = typeof(OptionsRegistration).GetMethod(nameof(AddValidated), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!;
        foreach (var (type, section, _) in ConfigReference.Sections)
            add.MakeGenericMethod(type).Invoke(null, [services, section]);
        // A list may also be one string ("10.0.0.1, 10.0.0.2"), handy in environment variables and --set.
        services.AddOptions<ForwardedHeadersSettings>().PostConfigure<IConfiguration>((o, c) =>
        {
            if (c[ForwardedHeadersSettings.Section + ":KnownProxies"] is { Length: > 0 } proxies)
                o.KnownProxies = [.. o.KnownProxies, proxies];
            if (c[ForwardedHeadersSettings.Section + ":KnownNetworks"] is { Length: > 0 } networks)
                o.KnownNetworks = [.. o.KnownNetworks, networks];
        });
        services.AddSingleton<IValidateOptions<DatabaseOptions>, DatabaseOptionsValidator>();
        return services;
    }

    private static void AddValidated<T>(this IServiceCollection services, string section) where T : class
    {
        services.AddOptions<T>().BindConfiguration(section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<T>, KeyedDataAnnotationsValidator<T>>();
    }

    /// <summary>Validates with data annotations and reports the messages as written (each names its key).</summary>
    private sealed class KeyedDataAnnotationsValidator<T> : IValidateOptions<T> where T : class
    {
        public ValidateOptionsResult Validate(string? name, T options)
        {
            var results = new List<ValidationResult>();
            return Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true)
                ? ValidateOptionsResult.Success
                : ValidateOptionsResult.Fail(results.Select(r => r.ErrorMessage ?? "invalid value"));
        }
    }

    private sealed class DatabaseOptionsValidator : IValidateOptions<DatabaseOptions>
    {
        public ValidateOptionsResult Validate(string? name, DatabaseOptions options) =>
            options.Provider == DatabaseProvider.MySql && string.IsNullOrWhiteSpace(options.ConnectionString)
                ? ValidateOptionsResult.Fail(DatabaseOptions.Section + ":ConnectionString is required when Provider is MySql (for example Server=127.0.0.1;Database=tccg;User ID=tccg;Password=…).")
                : ValidateOptionsResult.Success;
    }
}
