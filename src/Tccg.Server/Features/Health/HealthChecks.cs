using System.Diagnostics;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Tccg.Core.Configuration;

namespace Tccg.Server.Features.Health;

/// <summary>The data folder exists and is writable.</summary>
internal sealed class StorageHealthCheck(IOptions<StorageOptions> storage) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var root = Path.GetFullPath(storage.Value.Root);
            Directory.CreateDirectory(root);
            var probe = Path.Combine(root, $".ready-{Guid.NewGuid():N}");
            await File.WriteAllTextAsync(probe, "ok", cancellationToken);
            File.Delete(probe);
            return HealthCheckResult.Healthy($"{root} is writable");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return HealthCheckResult.Unhealthy($"data folder is not writable: {e.Message}");
        }
    }
}

/// <summary>ffmpeg and ffprobe can be started.</summary>
internal sealed class FfmpegHealthCheck : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        foreach (var tool in new[] { "ffmpeg", "ffprobe" })
        {
            try
            {
                using var process = Process.Start(new ProcessStartInfo(tool, "-version")
                {
                    RedirectStandardOutput = true,
                    RedirectStandardError = true,
                    UseShellExecute = false,
                })!;
                var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
                _ = process.StandardError.ReadToEndAsync(cancellationToken);
                await process.WaitForExitAsync(cancellationToken);
                await output;
                if (process.ExitCode != 0)
                    return HealthCheckResult.Unhealthy($"{tool} -version exited with {process.ExitCode}");
            }
            catch (System.ComponentModel.Win32Exception e)
            {
                return HealthCheckResult.Unhealthy($"{tool} not found on PATH ({e.Message}); scripts/install-deps.sh installs it");
            }
        }

        return HealthCheckResult.Healthy("ffmpeg and ffprobe found");
    }
}

/// <summary>Writes a health report as JSON: overall status and one entry per check with its reason.</summary>
internal static class HealthResponseWriter
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        var body = new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(
                e => e.Key,
                e => new { status = e.Value.Status.ToString(), description = e.Value.Description }),
        };
        return context.Response.WriteAsync(JsonSerializer.Serialize(body, Json), context.RequestAborted);
    }
}

/// <summary>The database answers a query.</summary>
internal sealed class DatabaseHealthCheck(Tccg.Storage.Database.TccgDatabase database) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var connection = await database.OpenAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT 1";
            await command.ExecuteScalarAsync(cancellationToken);
            return HealthCheckResult.Healthy($"{database.Provider} answers");
        }
        catch (Exception e)
        {
            return HealthCheckResult.Unhealthy($"{database.Provider} does not answer: {e.Message}");
        }
    }
}
