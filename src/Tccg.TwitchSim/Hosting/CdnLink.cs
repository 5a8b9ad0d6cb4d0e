using System.Threading.RateLimiting;

namespace Tccg.TwitchSim.Hosting;

/// <summary>
/// The simulated CDN's uplink: one byte budget (<see cref="TwitchSimOptions.CdnBytesPerSecond"/>) shared by every
/// connection, like a server's line. Response bodies written through <see cref="Wrap"/> take a token per byte
/// from a token bucket (refilled continuously, a burst of at most 50 ms), in chunks small enough that parallel
/// transfers share the line fairly (first come, first served).
/// </summary>
internal sealed class CdnLink : IDisposable
{
    private const int MaxChunk = 16 * 1024;
    private readonly TokenBucketRateLimiter? _bucket;
    private readonly int _chunk;

    public CdnLink(long bytesPerSecond)
    {
        if (bytesPerSecond <= 0)
            return;
        var burst = (int)Math.Clamp(bytesPerSecond / 20, 1, int.MaxValue);
        _chunk = Math.Min(MaxChunk, burst);
        _bucket = new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
        {
            TokenLimit = burst,
            TokensPerPeriod = (int)Math.Clamp(bytesPerSecond / 100, 1, int.MaxValue),
            ReplenishmentPeriod = TimeSpan.FromMilliseconds(10),
            AutoReplenishment = true,
            QueueLimit = int.MaxValue,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        });
    }

    public bool IsLimited => _bucket is not null;

    /// <summary>The response body as the limited line sends it; the body itself when the line is unlimited.</summary>
    public Stream Wrap(Stream body) => _bucket is null ? body : new ThrottledStream(body, _bucket, _chunk);

    public void Dispose() => _bucket?.Dispose();

    private sealed class ThrottledStream(Stream inner, System.Threading.RateLimiting.RateLimiter bucket, int chunk) : Stream
    {
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            while (!buffer.IsEmpty)
            {
                var part = buffer[..Math.Min(chunk, buffer.Length)];
                using (var lease = await bucket.AcquireAsync(part.Length, cancellationToken))
                {
                    if (!lease.IsAcquired)
                        throw new IOException("The simulated CDN link refused the write.");
                }
                await inner.WriteAsync(part, cancellationToken);
                buffer = buffer[part.Length..];
            }
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Write(byte[] buffer, int offset, int count) =>
            WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

        public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);
        public override void Flush() => inner.Flush();
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
