namespace Tccg.Media.Processes;

/// <summary>What a finished ffmpeg/ffprobe run left behind.</summary>
/// <param name="ExitCode">The process exit code.</param>
/// <param name="Stdout">Standard output, when it was captured (empty otherwise).</param>
/// <param name="StderrTail">The last lines of standard error (ffmpeg's log), for error messages and summaries.</param>
/// <param name="CommandLine">The command line, quoted for a shell, for logs.</param>
public sealed record ProcessResult(int ExitCode, string Stdout, string StderrTail, string CommandLine);

/// <summary>ffmpeg or ffprobe failed; the message carries the tail of its stderr.</summary>
public class MediaToolException : Exception
{
    public MediaToolException(string message, int exitCode, string stderrTail, string commandLine)
        : base(message)
    {
        ExitCode = exitCode;
        StderrTail = stderrTail;
        CommandLine = commandLine;
    }

    public MediaToolException() : this("ffmpeg failed", -1, "", "") { }
    public MediaToolException(string message) : this(message, -1, "", "") { }
    public MediaToolException(string message, Exception inner) : base(message, inner)
    {
        StderrTail = "";
        CommandLine = "";
    }

    public int ExitCode { get; }
    public string StderrTail { get; } = "";
    public string CommandLine { get; } = "";
}
