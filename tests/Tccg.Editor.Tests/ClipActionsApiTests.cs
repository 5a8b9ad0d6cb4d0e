using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Tccg.Core.Clips;
using Tccg.Storage.Accounts;
using Tccg.Storage.Clips;
using Tccg.Storage.Compilations;
using Tccg.Storage.Games;

namespace Tccg.Editor.Tests;

/// <summary>The clip browser's per-clip actions over real HTTP: reason, add to a compilation, block a streamer, retry.</summary>
public sealed class ClipActionsApiTests
{
    [Fact]
    public async Task Reason_Add_Block_Retry_FollowTheRules()
    {
        await using var server = await EditorServer.StartAsync(clips: 3);
        var ct = CancellationToken.None;
        var store = server.Service<IClipStore>();
        var editor = await server.AddUserAsync("ed");
        await server.AddUserAsync("boss", UserRole.Admin);
        var mine = await server.AddCompilationAsync(editor, "Mine");
        var other = await server.AddCompilationAsync(await server.AddUserAsync("someone"), "Not mine");
        using var ed = await LoginAsync(server, "ed");
        using var boss = await LoginAsync(server, "boss");
        string Id(long id) => id.ToString(CultureInfo.InvariantCulture);

        // A duplicate explains itself and names the clip it duplicates; a failed clip shows its error.
        var dup = server.Clips[2];
        await store.MarkDuplicateAsync(dup.Id, server.Clips[0].Id, "same audio as Clip000", ct);
        var reason = await ed.GetFromJsonAsync<JsonElement>($"/api/v1/clips/{Id(dup.Id)}/reason");
        Assert.Equal("Duplicate", reason.GetProperty("status").GetString());
        Assert.Equal(server.Clips[0].Id, reason.GetProperty("duplicateOf").GetProperty("id").GetInt64());
        Assert.Contains("same audio", reason.GetProperty("reason").GetString(), StringComparison.Ordinal);
        var listed = await ed.GetFromJsonAsync<JsonElement>("/api/v1/clips?status=Duplicate");
        Assert.Equal(server.Clips[0].Id, Assert.Single(listed.GetProperty("items").EnumerateArray()).GetProperty("duplicateOf").GetInt64());

        // Add to my compilation: it joins the timeline once; a second add is a 409; others' private ones read as missing.
        var added = await ed.PostAsJsonAsync($"/api/v1/clips/{Id(server.Clips[1].Id)}/add-to-compilation", new { compilationId = mine.Id });
        Assert.Equal(HttpStatusCode.OK, added.StatusCode);
        var items = await server.Service<ICompilationStore>().GetItemsAsync(mine.Id, ct);
        Assert.Equal(server.Clips[1].Id, Assert.Single(items).ClipId);
        Assert.Equal(HttpStatusCode.Conflict, (await ed.PostAsJsonAsync($"/api/v1/clips/{Id(server.Clips[1].Id)}/add-to-compilation", new { compilationId = mine.Id })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await ed.PostAsJsonAsync($"/api/v1/clips/{Id(server.Clips[1].Id)}/add-to-compilation", new { compilationId = other.Id })).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await ed.PostAsJsonAsync($"/api/v1/clips/{Id(dup.Id)}/add-to-compilation", new { compilationId = mine.Id })).StatusCode);
        var missingField = await ed.PostAsJsonAsync($"/api/v1/clips/{Id(server.Clips[1].Id)}/add-to-compilation", new { });
        Assert.Equal(HttpStatusCode.BadRequest, missingField.StatusCode);
        Assert.StartsWith("compilationId", (await missingField.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("title").GetString(), StringComparison.Ordinal);

        // Block the streamer in the clip's game: admins only; the game's filters name the streamer once.
        Assert.Equal(HttpStatusCode.Forbidden, (await ed.PostAsync($"/api/v1/clips/{Id(server.Clips[0].Id)}/block-streamer", null)).StatusCode);
        for (var i = 0; i < 2; i++)
            Assert.Equal(HttpStatusCode.OK, (await boss.PostAsync($"/api/v1/clips/{Id(server.Clips[0].Id)}/block-streamer", null)).StatusCode);
        var game = await server.Service<IGameStore>().GetByTwitchIdAsync(EditorServer.GameId, ct);
        Assert.Equal([server.Clips[0].BroadcasterId], game!.Filters.BlockedBroadcasters);

        // Retry: admins only, failed clips only; the clip goes back to Found with its attempts reset.
        var failing = server.Clips[0];
        Assert.Equal(HttpStatusCode.Conflict, (await boss.PostAsync($"/api/v1/clips/{Id(failing.Id)}/retry", null)).StatusCode);
        await store.MoveAsync(failing.Id, ClipStatus.Missing, ct);
        await store.MoveAsync(failing.Id, ClipStatus.Found, ct);
        await store.MarkFailedAsync(failing.Id, "HTTP 503 from the CDN", null, ct);
        Assert.Equal(HttpStatusCode.Forbidden, (await ed.PostAsync($"/api/v1/clips/{Id(failing.Id)}/retry", null)).StatusCode);
        var retried = await boss.PostAsync($"/api/v1/clips/{Id(failing.Id)}/retry", null);
        Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
        Assert.Equal("Found", (await retried.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        var after = await store.GetAsync(failing.Id, ct);
        Assert.Equal((ClipStatus.Found, 0, (string?)null), (after!.Status, after.Attempts, after.LastError));
        Assert.Equal(HttpStatusCode.NotFound, (await boss.PostAsync("/api/v1/clips/999999/retry", null)).StatusCode);
    }

    /// <summary>A session with its CSRF token, as the editor's pages and scripts send.</summary>
    internal static async Task<HttpClient> LoginAsync(EditorServer server, string name)
    {
        var http = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer() }) { BaseAddress = server.BaseUrl };
        var login = await http.PostAsJsonAsync("/api/v1/auth/login", new { name, password = EditorServer.Password });
        login.EnsureSuccessStatusCode();
        http.DefaultRequestHeaders.Add("X-CSRF-TOKEN", (await login.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("csrfToken").GetString());
        return http;
    }
}
