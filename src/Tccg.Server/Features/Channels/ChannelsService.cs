using Tccg.Core.Clips;
using Tccg.Core.Configuration;
using Tccg.Core.Twitch;
using Tccg.Server.Application;
using Tccg.Storage.Channels;
using Tccg.Storage.Clips;
using Tccg.Storage.Games;
using Tccg.Twitch;
using Tccg.Twitch.Automation;
using Tccg.Twitch.Channels;

namespace Tccg.Server.Features.Channels;

/// <summary>A saved channel as every front end shows it: filters, schedule, clip counts per status, automation.</summary>
public sealed record ChannelView(
    long Id,
    string TwitchUserId,
    string Login,
    string DisplayName,
    string ProfileImageUrl,
    bool Enabled,
    ClipFilters Filters,
    GameSchedule Schedule,
    DateTimeOffset? LastFindAt,
    DateTimeOffset? NextFindAt,
    IReadOnlyDictionary<string, long> Counts,
    GameAutomationStatus? Automation);

public sealed record AddChannelRequest(string? Login);

/// <summary>Everything of a channel an admin may change; omitted parts stay as they are.</summary>
public sealed record UpdateChannelRequest(bool? Enabled, ClipFilters? Filters, GameSchedule? Schedule);

/// <summary>
/// The rules of saved channels, once for every front end (API, pages, CLI): editors see them, admins add (by login,
/// looked up on Twitch), change and remove them, as with games.
/// </summary>
public sealed class ChannelsService(IChannelStore channels, IClipStore clips, ChannelCatalog catalog, AutomationState automation)
{
    public async Task<IReadOnlyList<ChannelView>> ListAsync(CurrentUser user, CancellationToken ct)
    {
        user.RequireEditor();
        var views = new List<ChannelView>();
        foreach (var channel in await channels.ListAsync(ct))
            views.Add(await ViewAsync(channel, ct));
        return views;
    }

    public async Task<ChannelView> GetAsync(CurrentUser user, long id, CancellationToken ct)
    {
        user.RequireEditor();
        return await ViewAsync(await channels.GetAsync(id, ct) ?? throw RuleException.NotFound($"No channel {id}."), ct);
    }

    public async Task<ChannelView> AddAsync(CurrentUser user, AddChannelRequest request, CancellationToken ct)
    {
        user.RequireAdmin();
        var login = request.Login?.Trim().TrimStart('@') ?? "";
        if (!ChannelCatalog.IsValidLogin(login))
            throw RuleException.Invalid("login", "A Twitch login has 1 to 25 letters, digits or underscores.");
        AddChannelResult result;
        try
        {
            result = await catalog.AddByLoginAsync(login, ct);
        }
        catch (OptionsKeyMissingException e)
        {
            throw new RuleException(503, "Twitch is not configured.", e.Message);
        }
        catch (TwitchApiException e)
        {
            throw new RuleException(502, "Twitch did not answer the channel lookup.", e.Message);
        }
        return result.Status switch
        {
            AddChannelStatus.NotOnTwitch => throw RuleException.Invalid("login", $"Twitch has no channel with the login \"{result.Login}\"."),
            AddChannelStatus.AlreadySaved => throw RuleException.Conflict($"Channel {result.Login} is already saved."),
            _ => await ViewAsync(result.Channel!, ct),
        };
    }

    public async Task<ChannelView> UpdateAsync(CurrentUser user, long id, UpdateChannelRequest request, CancellationToken ct)
    {
        user.RequireAdmin();
        // The same filter and schedule rules as games.
        if (ClipBin.GameRules.Check(request.Filters, request.Schedule) is { } problem)
            throw RuleException.Invalid(problem.Field, problem.Message);
        var channel = await channels.GetAsync(id, ct) ?? throw RuleException.NotFound($"No channel {id}.");
        var updated = channel with
        {
            Enabled = request.Enabled ?? channel.Enabled,
            // A channel has one broadcaster: blocking and per-broadcaster caps do not apply and are not stored.
            Filters = request.Filters is { } f ? f with { BlockedBroadcasters = [], PerBroadcasterCap = 0 } : channel.Filters,
            Schedule = request.Schedule ?? channel.Schedule,
        };
        await channels.UpdateAsync(updated, ct);
        return await ViewAsync(updated, ct);
    }

    public async Task RemoveAsync(CurrentUser user, long id, CancellationToken ct)
    {
        user.RequireAdmin();
        if (!await channels.DeleteAsync(id, ct))
            throw RuleException.NotFound($"No channel {id}.");
    }

    private async Task<ChannelView> ViewAsync(Channel channel, CancellationToken ct)
    {
        var counts = (await clips.CountsOfChannelAsync(channel.TwitchUserId, ct))
            .ToDictionary(c => c.Status.ToString(), c => c.Count, StringComparer.Ordinal);
        foreach (var status in Enum.GetNames<ClipStatus>())
            counts.TryAdd(status, 0);
        return new ChannelView(channel.Id, channel.TwitchUserId, channel.Login, channel.DisplayName, channel.ProfileImageUrl,
            channel.Enabled, channel.Filters, channel.Schedule, channel.LastFindAt, channel.NextFindAt, counts,
            automation.Get(AutomationService.ChannelKey(channel)));
    }
}
