using Tccg.Core.Compilations;

namespace Tccg.Server.Application;

/// <summary>
/// A rule of the application layer said no. Every front end shows it the same way: the API as an RFC 7807
/// problem with <see cref="Status"/> (and <c>errors</c> naming the fields), the editor as a message in words,
/// the CLI as one line and exit code 1.
/// </summary>
public class RuleException(int status, string title, string? detail = null, IReadOnlyList<ValidationMessage>? errors = null)
    : Exception(detail is null ? title : title + " " + detail)
{
    public int Status { get; } = status;

    public string Title { get; } = title;

    public string? Detail { get; } = detail;

    public IReadOnlyList<ValidationMessage> Errors { get; } = errors ?? [];

    public static RuleException NotFound(string title) => new(404, title);

    public static RuleException Forbidden(string title, string? detail = null) => new(403, title, detail);

    public static RuleException Conflict(string title, string? detail = null) => new(409, title, detail);

    /// <summary>400 naming the field: <c>Invalid("name", "A name has 1 to 200 characters.")</c>.</summary>
    public static RuleException Invalid(string field, string message) =>
        new(400, $"{field}: {message}", null, [new ValidationMessage(field, message)]);

    /// <summary>400 with several fields.</summary>
    public static RuleException Invalid(string title, IReadOnlyList<ValidationMessage> errors) =>
        new(400, title, string.Join("; ", errors.Select(e => $"{e.Field}: {e.Message}")), errors);
}
