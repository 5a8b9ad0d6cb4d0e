using Microsoft.Extensions.DependencyInjection;
using Tccg.Server.Application;
using Tccg.Server.Components;

namespace Tccg.Editor.Tests;

public sealed class ReviewSessionTests
{
    [Fact]
    public async Task NextAsync_WhileDecisionsKeepUp_HandsOutEveryClipOnceBeforeSayingExhausted()
    {
        await using var server = await EditorServer.StartAsync(clips: 40);
        var user = await server.AddUserAsync("fast-reviewer");
        var compilation = await server.AddCompilationAsync(user);
        using var session = server.App.Services.GetRequiredService<ReviewSession>();
        var caller = new CurrentUser(user.Id, user.Name, "editor", CredentialKind.Session);
        await session.OpenAsync(caller, compilation.Id, CancellationToken.None);

        var seen = new List<long>();
        for (var round = 0; round < 20; round++)
        {
            var (clips, exhausted) = await session.NextAsync(caller, CancellationToken.None);
            seen.AddRange(clips.Select(c => c.Id));
            foreach (var clip in clips)
                await session.DecideAsync(caller, clip.Id, keep: clip.Id % 2 == 0, null, null, 1.0, CancellationToken.None);
            if (exhausted)
                break;
        }

        Assert.Equal(server.Clips.Select(c => c.Id).Order(), seen.Order());
        Assert.Equal(seen.Count, seen.Distinct().Count());
    }
}
