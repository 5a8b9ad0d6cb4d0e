using System.Text;
using System.Text.Json;

namespace Tccg.Storage.Clips;

/// <summary>
/// The title keys of migration 15 (SQLite): every seven characters of a title centred on a space ("ane clu" of
/// "Insane clutch"; at the end of a title, six: "lip 17" of "… clip 17"), ASCII letters folded to lower case, kept in
/// <c>clip_title_keys</c> by date and by game. Text that holds a space with three characters before it and three after
/// is in a title only if the title has that key; with two after, only if the title has a key starting with those six
/// characters. So a key's entries are the candidates (a LIKE keeps those that hold the whole text): two common words in a
/// row no longer read the long trigram lists of each word. Only ASCII characters go into keys, since LIKE folds ASCII
/// letters only and ASCII text matches ASCII characters alone: a window with another character in its last place keeps
/// its first six (text with two characters after the space still finds it), any other such window has no key.
/// The triggers work out a clip's old keys with this same function: changing what <see cref="Of"/> returns needs a
/// migration that rebuilds <c>clip_title_keys</c>.
/// </summary>
internal static class TitleKeys
{
    /// <summary>The SQL function (registered on every SQLite connection) that gives a title's keys as a JSON array.</summary>
    public const string Function = "tccg_title_keys";

    /// <summary>Characters on each side of the space.</summary>
    private const int Side = 3;

    /// <summary>The distinct keys of <paramref name="title"/>, in order.</summary>
    public static IReadOnlyList<string> Of(string? title)
    {
        if (title is null || title.Length < Side + 3)
            return [];
        List<string>? keys = null;
        for (var at = Side; at + 2 < title.Length; at++)
        {
            if (title[at] != ' ')
                continue;
            var window = title.AsSpan(at - Side, Side + 1 + Math.Min(Side, title.Length - at - 1));
            if (!Ascii.IsValid(window))
            {
                window = window[..(Side + 3)];
                if (!Ascii.IsValid(window))
                    continue;
            }
            var key = Fold(window);
            keys ??= [];
            if (!keys.Contains(key, StringComparer.Ordinal))
                keys.Add(key);
        }
        return keys ?? (IReadOnlyList<string>)[];
    }

    /// <summary>The keys of <paramref name="title"/> as a JSON array of strings (what <see cref="Function"/> returns).</summary>
    public static string Json(string? title) => JsonSerializer.Serialize(Of(title), TitleKeysJsonContext.Default.IReadOnlyListString);

    /// <summary>
    /// The full (seven-character) keys that ASCII <paramref name="text"/> (as typed into the title filter) holds; a title
    /// holding the text holds each.
    /// </summary>
    public static IReadOnlyList<string> OfText(string text) =>
        Ascii.IsValid(text) ? [.. Of(text).Where(k => k.Length == 2 * Side + 1)] : [];

    /// <summary>
    /// The longest key start that ASCII <paramref name="text"/> holds (three characters, the space, then two or three):
    /// a title holding the text has a key that starts with it. Null when the text has none.
    /// </summary>
    public static string? PrefixOfText(string text) =>
        Ascii.IsValid(text) ? Of(text).MaxBy(k => k.Length) : null;

    /// <summary>Above every key that starts with <paramref name="prefix"/> (keys are ASCII, so U+0080 sorts after any of their characters).</summary>
    public static string After(string prefix) => prefix + "\u0080";

    private static string Fold(ReadOnlySpan<char> window) => string.Create(window.Length, window, static (to, from) =>
    {
        // Lower-case ASCII letters only, as SQLite's LIKE and the trigram index fold them.
        Ascii.ToLower(from, to, out _);
    });
}

[System.Text.Json.Serialization.JsonSerializable(typeof(IReadOnlyList<string>))]
internal sealed partial class TitleKeysJsonContext : System.Text.Json.Serialization.JsonSerializerContext;
