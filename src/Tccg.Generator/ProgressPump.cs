using Microsoft.Extensions.Logging;
using Tccg.Generator.Protocol;

namespace Tccg.Generator;

/// <summary>
/// Sends the latest progress to the server at most once per interval, off the render's threads. A 409
/// (lease lost) cancels the job.
/// </summary>
internal sealed class ProgressPump(GeneratorClient client, LeaseResponse lease, TimeSpan interval, TimeProvider time, CancellationTokenSource job, ILogger logger)
{
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _stop = CancellationTokenSource.CreateLinkedTokenSource(job.Token);
    private (string Stage, double Percent, double? Eta)? _latest;
    private long _version;
    private long _sent;

    public void Set(string stage, double percent, double? eta)
    {
        lock (_gate)
        {
            _latest = (stage, percent, eta);
            _version++;
        }
    }

    public async Task RunAsync()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                await SendLatestAsync();
                await Task.Delay(interval, time, _stop.Token);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    public async Task StopAsync()
    {
        if (!_stop.IsCancellationRequested)
            await _stop.CancelAsync();
    }

    private async Task SendLatestAsync()
    {
        (string Stage, double Percent, double? Eta) latest;
        long version;
        lock (_gate)
        {
            if (_latest is null || _version == _sent)
                return;
            latest = _latest.Value;
            version = _version;
        }
        try
        {
            await client.ReportProgressAsync(lease.JobId, lease.LeaseId, latest.Stage, latest.Percent, latest.Eta, _stop.Token);
            _sent = version;
        }
        catch (LeaseLostException)
        {
            await job.CancelAsync();
        }
        catch (Exception ex) when (ex is HttpRequestException or GeneratorProtocolException)
        {
            logger.LogWarning("Progress report failed: {Message}", ex.Message);
        }
    }
}
