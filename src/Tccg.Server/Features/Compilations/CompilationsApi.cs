using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Tccg.Core.Compilations;
using Tccg.Server.Auth;
using Tccg.Storage.Clips;
using Tccg.Storage.Compilations;

using Tccg.Server.Features.ClipBin;

namespace Tccg.Server.Features.Compilations;

/// <summary><c>/api/v1/compilations</c>: create, list, get (items expanded), update (optimistic concurrency), delete.</summary>
public static partial class CompilationsApi
{
    public static IServiceCollection AddCompilationsFeature(this IServiceCollection services) =>
        services.AddSingleton<CompilationWorkspace>().AddSingleton<CompilationSubmitter>();

    public static RouteGroupBuilder MapCompilationsApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/compilations").WithTags("Compilations").RequireAuthorization(Policies.Editor);
        group.MapGet("/", ListAsync).WithName("ListCompilations").WithSummary("Compilations the caller may see: own and shared (admins: all)");
        group.MapPost("/", CreateAsync).WithName("CreateCompilation").WithSummary("Start a compilation (name, game)");
        group.MapGet("/{id:long}", GetAsync).WithName("GetCompilation").WithSummary("A compilation with its items, clips and assets");
        group.MapPut("/{id:long}", UpdateAsync).WithName("UpdateCompilation")
            .WithSummary("Replace the editable document; send the updatedAt you read (409 when someone saved since)");
        group.MapDelete("/{id:long}", DeleteAsync).WithName("DeleteCompilation").WithSummary("Delete a compilation (owner or admin)");
        MapReview(group);
        MapSubmit(group);
        return api;
    }

    public static async Task<Ok<CompilationSummary[]>> ListAsync(HttpContext http, ICompilationStore store, CancellationToken ct)
    {
        var list = await store.ListAsync(http.User.IsAdmin() ? null : http.User.UserId() ?? -1, ct);
        return TypedResults.Ok(list.Select(CompilationSummary.From).ToArray());
    }

    public static async Task<Results<Created<CompilationView>, ProblemHttpResult>> CreateAsync(
        NewCompilationRequest request, HttpContext http, ICompilationStore store, CompilationWorkspace workspace, CancellationToken ct)
    {
        var name = request.Name?.Trim() ?? "";
        if (name.Length is 0 or > 200)
            return TypedResults.Problem(statusCode: 400, title: "A compilation needs a name of 1 to 200 characters.");
        if (request.GameId is { } game && (game.Length > 64 || string.IsNullOrWhiteSpace(game)))
            return TypedResults.Problem(statusCode: 400, title: "gameId must be a Twitch game id.");
        if (request.ChannelId is { } channel && (channel.Length > 64 || !channel.Trim().All(char.IsAsciiDigit) || channel.Trim().Length == 0))
            return TypedResults.Problem(statusCode: 400, title: "channelId must be a Twitch user id.");
        var created = await store.CreateAsync(new Compilation
        {
            Name = name,
            GameId = request.GameId?.Trim(),
            ChannelId = request.ChannelId?.Trim(),
            OwnerId = http.User.UserId(),
            Shared = request.Shared ?? false,
        }, ct);
        return TypedResults.Created($"/api/v1/compilations/{created.Id}", await ViewAsync(http.User, created, [], workspace, ct));
    }

    public static async Task<Results<Ok<CompilationView>, ProblemHttpResult>> GetAsync(
        long id, HttpContext http, ICompilationStore store, CompilationWorkspace workspace, CancellationToken ct)
    {
        if (await workspace.GetAsync(http.User, id, ct) is not { } c)
            return NotFound(id);
        return TypedResults.Ok(await ViewAsync(http.User, c, await store.GetItemsAsync(id, ct), workspace, ct));
    }

    public static async Task<Results<Ok<CompilationView>, ProblemHttpResult>> UpdateAsync(
        long id, UpdateCompilationRequest request, HttpContext http, ICompilationStore store, CompilationWorkspace workspace, CancellationToken ct)
    {
        if (request.GameId is { Length: > 64 })
            return TypedResults.Problem(statusCode: 400, title: "gameId must be a Twitch game id.");
        if (request.UpdatedAt is not { } expected)
            return TypedResults.Problem(statusCode: 400, title: "updatedAt is required.", detail: "Send the updatedAt of the version you edited.");
        using var held = await workspace.LockAsync(id, ct);
        if (await workspace.GetAsync(http.User, id, ct) is not { } current)
            return NotFound(id);
        if (current.UpdatedAt.ToUnixTimeMilliseconds() != expected.ToUnixTimeMilliseconds())
            return TypedResults.Problem(statusCode: 409, title: $"Compilation {id} was changed since you read it.",
                detail: $"Reload it (updatedAt is now {current.UpdatedAt:O}) and apply your change again.");
        if (current.OwnerId != http.User.UserId() && !http.User.IsAdmin() && request.Shared == false)
            return TypedResults.Problem(statusCode: 403, title: "Only the owner or an admin may stop sharing a compilation.");

        var items = (request.Items ?? []).Select(i => new CompilationItem(i.ClipId, i.TrimStart, i.TrimEnd, i.Volume ?? 1.0)).ToList();
        var updated = current with
        {
            Name = request.Name?.Trim() ?? "",
            GameId = string.IsNullOrWhiteSpace(request.GameId) ? null : request.GameId.Trim(),
            Shared = request.Shared ?? current.Shared,
            FirstAssetId = request.FirstAssetId,
            IntroAssetId = request.IntroAssetId,
            IntervalAssetId = request.IntervalAssetId,
            OutroAssetId = request.OutroAssetId,
            MusicJson = (request.Music ?? new MusicChoice()).ToJson(),
            SettingsJson = (request.Settings ?? new CompilationSettings()).ToJson(),
        };
        var problems = EditorRules.CheckEdit(await workspace.DraftAsync(http.User, updated, items, ct));
        if (problems.Count > 0)
            return Invalid($"Compilation {id} cannot be saved.", problems);

        await store.UpdateAsync(updated, ct);
        await store.SetItemsAsync(id, items, ct);
        var saved = await store.GetAsync(id, ct) ?? updated;
        return TypedResults.Ok(await ViewAsync(http.User, saved, items, workspace, ct));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(
        long id, HttpContext http, ICompilationStore store, CompilationWorkspace workspace, CancellationToken ct)
    {
        if (await workspace.GetAsync(http.User, id, ct) is not { } c)
            return NotFound(id);
        if (c.OwnerId != http.User.UserId() && !http.User.IsAdmin())
            return TypedResults.Problem(statusCode: 403, title: "Only the owner or an admin may delete a shared compilation.");
        using var held = await workspace.LockAsync(id, ct);
        return await store.DeleteAsync(id, ct) ? TypedResults.NoContent() : NotFound(id);
    }

    private static async Task<CompilationView> ViewAsync(ClaimsPrincipal caller, Compilation c, IReadOnlyList<CompilationItem> items,
        CompilationWorkspace workspace, CancellationToken ct)
    {
        var clips = workspace.Clips;
        var itemViews = new List<ItemView>();
        foreach (var item in items)
        {
            var clip = await clips.GetAsync(item.ClipId, ct);
            itemViews.Add(new ItemView(item.ClipId, item.TrimStart, item.TrimEnd, item.Volume, clip is null ? null : ClipView.From(clip)));
        }
        var music = MusicChoice.FromJson(c.MusicJson);
        var assets = new CompilationAssetsView(
            await workspace.AssetViewAsync(caller, c.FirstAssetId, ct),
            await workspace.AssetViewAsync(caller, c.IntroAssetId, ct),
            await workspace.AssetViewAsync(caller, c.IntervalAssetId, ct),
            await workspace.AssetViewAsync(caller, c.OutroAssetId, ct),
            [.. await Task.WhenAll(music.Tracks.Select(t => workspace.AssetViewAsync(caller, t, ct)))]);
        return new CompilationView(c.Id, c.Name, c.GameId, c.OwnerId, c.Shared, c.CreatedAt, c.UpdatedAt, [.. itemViews],
            c.FirstAssetId, c.IntroAssetId, c.IntervalAssetId, c.OutroAssetId, music, CompilationSettings.FromJson(c.SettingsJson), assets,
            Estimate(itemViews, assets));
    }

    /// <summary>Seconds the video will last: trimmed clips, an interval between each two, and the first clip, intro and outro.</summary>
    private static double Estimate(List<ItemView> items, CompilationAssetsView assets)
    {
        var total = 0.0;
        foreach (var item in items)
        {
            var length = item.Clip?.MediaDuration ?? item.Clip?.Duration ?? 0;
            total += Math.Max(0, Math.Min(item.TrimEnd ?? length, length) - (item.TrimStart ?? 0));
        }
        total += Math.Max(0, items.Count - 1) * (assets.Interval?.Duration ?? 0);
        total += (assets.First?.Duration ?? 0) + (assets.Intro?.Duration ?? 0) + (assets.Outro?.Duration ?? 0);
        return Math.Round(total, 3);
    }

    internal static ProblemHttpResult NotFound(long id) => TypedResults.Problem(statusCode: 404, title: $"No compilation {id}.");

    internal static ProblemHttpResult Invalid(string title, IReadOnlyList<ValidationMessage> messages) =>
        TypedResults.Problem(statusCode: 400, title: title,
            detail: string.Join("; ", messages.Select(m => $"{m.Field}: {m.Message}")),
            extensions: new Dictionary<string, object?> { ["errors"] = messages });
}
