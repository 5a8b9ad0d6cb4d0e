using Microsoft.Extensions.Options;
using Tccg.Core.Configuration;
using Tccg.Storage;
using Tccg.Storage.Games;
using Tccg.Twitch.Helix;

namespace Tccg.Twitch.Games;

/// <summary>How adding a game by name ended.</summary>
public enum AddGameStatus
{
    Added,
    /// <summary>Twitch has no category with exactly that name.</summary>
    NotOnTwitch,
    /// <summary>The category is saved already; <see cref="AddGameResult.Game"/> is the saved one.</summary>
    AlreadySaved,
}

/// <param name="Name">The saved or found name, or the name asked for when Twitch has none.</param>
public sealed record AddGameResult(AddGameStatus Status, Game? Game, string Name);

/// <summary>Saves Twitch categories by their exact name: the one way the CLI, the API and the dashboard add a game.</summary>
public sealed class GameCatalog(HelixClient helix, IGameStore games, IOptions<TwitchOptions> twitch)
{
    /// <summary>
    /// Looks the name up on Twitch and saves the category unless it is saved already. Throws
    /// <see cref="OptionsKeyMissingException"/> without Twitch credentials, and Twitch's own errors as they come.
    /// </summary>
    public async Task<AddGameResult> AddByNameAsync(string name, CancellationToken ct)
    {
        var wanted = name.Trim();
        twitch.Value.RequireCredentials();
        var found = await helix.GetGameByNameAsync(wanted, ct);
        if (found is null)
            return new AddGameResult(AddGameStatus.NotOnTwitch, null, wanted);
        if (await games.GetByTwitchIdAsync(found.Id, ct) is { } existing)
            return new AddGameResult(AddGameStatus.AlreadySaved, existing, existing.Name);
        try
        {
            var game = await games.AddAsync(new Game { TwitchGameId = found.Id, Name = found.Name, BoxArtUrl = found.BoxArtUrl ?? "" }, ct);
            return new AddGameResult(AddGameStatus.Added, game, game.Name);
        }
        catch (DuplicateInStoreException)
        {
            // Saved by someone else between the check and the insert.
            return new AddGameResult(AddGameStatus.AlreadySaved, await games.GetByTwitchIdAsync(found.Id, ct), found.Name);
        }
    }
}
