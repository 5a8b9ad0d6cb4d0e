using Tccg.Core.Clips;
using Tccg.Server.Application;
using Tccg.Storage.Clips;

namespace Tccg.Server.Features.ClipBin;

/// <summary>
/// What the clip browser (and <c>GET /api/v1/clips</c>) asks for. Every filter is optional; text comes as typed.
/// <paramref name="Sort"/> is <c>views</c> (most viewed first, the default) or <c>date</c> (newest first); the older
/// names <c>ViewsDesc</c> / <c>NewestFirst</c> work too. <paramref name="After"/> is the previous page's cursor.
/// <paramref name="Channel"/> is a channel's Twitch user id (digits): only clips of that channel.
/// </summary>
public sealed record ClipBrowseRequest(
    string? Game = null,
    string? Status = null,
    string? Language = null,
    string? Streamer = null,
    string? Title = null,
    DateTimeOffset? From = null,
    DateTimeOffset? Before = null,
    int? MinViews = null,
    double? MinDuration = null,
    double? MaxDuration = null,
    string? Sort = null,
    int Limit = 50,
    string? After = null,
    long? Compilation = null,
    string? Review = null,
    string? Channel = null);

/// <summary>
/// The clip bin browser's query: filters by game, status, language, streamer, title text, creation date, views and
/// duration; sorted by views or date; keyset-paged (a page costs the same at the millionth clip as at the first).
/// Editors and admins only; bad input is a 400 naming the field.
/// </summary>
public sealed class ClipBrowserService(ClipBinService clipBin, ApiLinks links)
{
    public const int MaxLimit = 500;
    private const int MaxText = 200;

    public async Task<ClipPageView> BrowseAsync(CurrentUser user, ClipBrowseRequest request, CancellationToken ct)
    {
        user.RequireEditor();
        var query = Validate(request);
        try
        {
            // The clip bin's own rules (ClipBinService) apply to the query as to every other.
            var page = await clipBin.QueryClipsAsync(user, query, ct);
            return new ClipPageView([.. page.Items.Select(c => ClipView.From(c, links))], page.NextCursor);
        }
        catch (RuleException e) when (e.Status == 400 && request.After is not null && e.Detail is { } d && d.Contains("cursor", StringComparison.Ordinal))
        {
            throw RuleException.Invalid("after", "is not a cursor of this query (start again without it).");
        }
    }

    /// <summary>Checks each field and builds the store's query; throws <see cref="RuleException"/> (400) naming the field.</summary>
    public static ClipQuery Validate(ClipBrowseRequest r)
    {
        if (r.Limit is < 1 or > MaxLimit)
            throw RuleException.Invalid("limit", $"must be between 1 and {MaxLimit}.");
        ClipStatus? status = null;
        if (!string.IsNullOrWhiteSpace(r.Status))
        {
            if (!Enum.TryParse<ClipStatus>(r.Status, ignoreCase: true, out var s) || !Enum.IsDefined(s) || int.TryParse(r.Status, out _))
                throw RuleException.Invalid("status", $"\"{r.Status}\" is not a status; use one of {string.Join(", ", Enum.GetNames<ClipStatus>())}.");
            status = s;
        }
        var order = (r.Sort ?? "views").Trim().ToLowerInvariant() switch
        {
            "views" or "viewsdesc" => ClipOrder.ViewsDesc,
            "date" or "newest" or "newestfirst" => ClipOrder.NewestFirst,
            _ => throw RuleException.Invalid("sort", "must be views or date."),
        };
        if (r.MinViews is < 0)
            throw RuleException.Invalid("minViews", "must be 0 or more.");
        if (r.MinDuration is < 0 or > 86_400 || r.MinDuration is { } a && !double.IsFinite(a))
            throw RuleException.Invalid("minDuration", "must be seconds between 0 and 86400.");
        if (r.MaxDuration is < 0 or > 86_400 || r.MaxDuration is { } b && !double.IsFinite(b))
            throw RuleException.Invalid("maxDuration", "must be seconds between 0 and 86400.");
        if (r.MinDuration is { } min && r.MaxDuration is { } max && min > max)
            throw RuleException.Invalid("maxDuration", "must not be less than minDuration.");
        if (r.From is { } from && r.Before is { } before && from >= before)
            throw RuleException.Invalid("before", "must be later than from.");
        ReviewFilter? review = null;
        if (r.Review is not null)
        {
            if (r.Compilation is null)
                throw RuleException.Invalid("compilation", "is needed with review.");
            if (!Enum.TryParse<ReviewState>(r.Review, ignoreCase: true, out var state) || !Enum.IsDefined(state) || int.TryParse(r.Review, out _))
                throw RuleException.Invalid("review", "must be one of Undecided, Kept, Skipped.");
            review = new ReviewFilter(r.Compilation.Value, state);
        }
        var channel = Text(r.Channel, "channel", 64);
        if (channel is not null && !channel.All(char.IsAsciiDigit))
            throw RuleException.Invalid("channel", "must be the Twitch user id of a channel (digits).");
        if (r.After is { Length: > 64 })
            throw RuleException.Invalid("after", "is not a cursor of this query (start again without it).");
        return new ClipQuery
        {
            GameId = Text(r.Game, "game", 64),
            BroadcasterId = channel,
            Status = status,
            Language = Text(r.Language, "language", 16),
            Streamer = Text(r.Streamer, "streamer", 255),
            TitleContains = Text(r.Title, "title", MaxText),
            CreatedFrom = r.From,
            CreatedBefore = r.Before,
            MinViews = r.MinViews,
            MinDuration = r.MinDuration,
            MaxDuration = r.MaxDuration,
            Order = order,
            Limit = r.Limit,
            After = string.IsNullOrEmpty(r.After) ? null : r.After,
            Review = review,
            ListingOnly = true,
        };
    }

    private static string? Text(string? value, string field, int max)
    {
        var text = value?.Trim();
        if (string.IsNullOrEmpty(text))
            return null;
        if (text.Length > max)
            throw RuleException.Invalid(field, $"has at most {max} characters.");
        return text;
    }
}
