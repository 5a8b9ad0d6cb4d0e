namespace Tccg.Media.Probing;


/// <summary>A file is not usable media: corrupt, truncated, not media at all, or missing.</summary>
public sealed class MediaProbeException : Exception
{
    public MediaProbeException(string path, string reason)
        : base($"{path}: {reason}")
    {
        FilePath = path;
        Reason = reason;
    }

    public MediaProbeException() : this("", "not a media file") { }
    public MediaProbeException(string message) : this("", message) { }
    public MediaProbeException(string message, Exception inner) : base(message, inner)
    {
        FilePath = "";
        Reason = message;
    }

    public string FilePath { get; } = "";
    public string Reason { get; } = "";
}
