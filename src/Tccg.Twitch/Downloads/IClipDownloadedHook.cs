using Tccg.Storage.Clips;

namespace Tccg.Twitch.Downloads;

/// <summary>
/// Told about each clip right after <see cref="ClipDownloader"/> marked it Downloaded (the file is whole and in place).
/// The server registers one that makes the clip's waveform, filmstrip and scrub proxy in the background. Must return at
/// once (queue the work, never run it inline): the downloader calls it on its analysis path.
/// </summary>
public interface IClipDownloadedHook
{
    void ClipDownloaded(ClipRecord clip);
}
