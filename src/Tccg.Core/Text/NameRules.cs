namespace Tccg.Core.Text;

/// <summary>What every name a person gives (compilation, asset, user, token) must not hold.</summary>
public static class NameRules
{
    /// <summary>
    /// True when <paramref name="name"/> holds a control character (U+0000–U+001F, U+007F–U+009F: NUL, tab, newline, …)
    /// or a line or paragraph separator: they break logs, file names, ffmpeg text and the pages that show the name.
    /// </summary>
    public static bool HasControlCharacters(string name) =>
        name.AsSpan().IndexOfAnyInRange('\u0000', '\u001F') >= 0
        || name.AsSpan().IndexOfAnyInRange('\u007F', '\u009F') >= 0
        || name.Contains('\u2028', StringComparison.Ordinal) || name.Contains('\u2029', StringComparison.Ordinal);

    public const string ControlCharactersMessage = "must not contain control characters (tab, newline, NUL, …)";
}
