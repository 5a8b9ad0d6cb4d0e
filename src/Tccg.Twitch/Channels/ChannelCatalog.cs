using Microsoft.Extensions.Options;
using Tccg.Core.Configuration;
using Tccg.Storage;
using Tccg.Storage.Channels;
using Tccg.Twitch.Helix;

namespace Tccg.Twitch.Channels;

/// <summary>How adding a channel by login ended.</summary>
public enum AddChannelStatus
{
    Added,
    /// <summary>Twitch has no user with that login.</summary>
    NotOnTwitch,
    /// <summary>The channel is saved already; <see cref="AddChannelResult.Channel"/> is the saved one.</summary>
    AlreadySaved,
}

/// <param name="Login">The saved login, or the login asked for when Twitch has none.</param>
public sealed record AddChannelResult(AddChannelStatus Status, Channel? Channel, string Login);

/// <summary>Saves Twitch channels by login (resolved with Helix <c>/users?login=</c>): the one way every front end adds a channel.</summary>
public sealed class ChannelCatalog(HelixClient helix, IChannelStore channels, IOptions<TwitchOptions> twitch)
{
    /// <summary>True for a well-formed Twitch login: 1 to 25 ASCII letters, digits or underscores.</summary>
    public static bool IsValidLogin(string? login) =>
        login is { Length: > 0 and <= 25 } && login.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');

    /// <summary>
    /// Looks the login up on Twitch and saves the channel unless it is saved already. Throws <see cref="ArgumentException"/>
    /// for a malformed login, <see cref="OptionsKeyMissingException"/> without Twitch credentials, and Twitch's own errors.
    /// </summary>
    public async Task<AddChannelResult> AddByLoginAsync(string login, CancellationToken ct)
    {
        var wanted = login.Trim().TrimStart('@').ToLowerInvariant();
        if (!IsValidLogin(wanted))
            throw new ArgumentException($"\"{login}\" is not a Twitch login (letters, digits and underscores, at most 25).", nameof(login));
        twitch.Value.RequireCredentials();
        var user = await helix.GetUserByLoginAsync(wanted, ct);
        if (user is null)
            return new AddChannelResult(AddChannelStatus.NotOnTwitch, null, wanted);
        if (await channels.GetByTwitchIdAsync(user.Id, ct) is { } existing)
            return new AddChannelResult(AddChannelStatus.AlreadySaved, existing, existing.Login);
        try
        {
            var channel = await channels.AddAsync(new Channel
            {
                TwitchUserId = user.Id,
                Login = user.Login,
                DisplayName = user.DisplayName ?? user.Login,
                ProfileImageUrl = user.ProfileImageUrl ?? "",
            }, ct);
            return new AddChannelResult(AddChannelStatus.Added, channel, channel.Login);
        }
        catch (DuplicateInStoreException)
        {
            return new AddChannelResult(AddChannelStatus.AlreadySaved, await channels.GetByTwitchIdAsync(user.Id, ct), user.Login);
        }
    }
}
