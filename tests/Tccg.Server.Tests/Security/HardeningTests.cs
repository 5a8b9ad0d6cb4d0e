using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Tccg.Server.Tests.Assets;
using Tccg.Server.Tests.Compilations;
using Tccg.Storage.Accounts;

namespace Tccg.Server.Tests.Security;

/// <summary>Probe finding 6, request by request as the probe sent them: bad input is a 4xx naming the field, never a 500.</summary>
public sealed partial class HardeningTests
{
    private static Uri U(string path) => new(path, UriKind.Relative);

    private static void SetPath(JsonObject root, string path, JsonNode? value)
    {
        var parts = path.Split('.');
        var node = root;
        foreach (var part in parts[..^1])
        {
            if (node[part] is not JsonObject child)
            {
                child = new JsonObject();
                node[part] = child;
            }
            node = child;
        }
        node[parts[^1]] = value;
    }

    [Fact]
    public async Task NonFiniteNumbers_InACompilationUpdate_Are400NamingTheField()
    {
        await using var server = await TestServer.StartAsync();
        using var editor = await server.LoginAsNewUserAsync("vera", UserRole.Editor);
        var id = (await editor.CreateCompilationAsync("Finite")).GetProperty("id").GetInt64();
        var current = JsonNode.Parse((await editor.GetCompilationAsync(id)).GetRawText())!.AsObject();

        foreach (var field in new[] { "music.volume", "settings.output.loudnessLufs", "settings.output.truePeak", "settings.overlay.seconds" })
        {
            foreach (var bad in new[] { "\"NaN\"", "\"Infinity\"", "\"-Infinity\"", "1e999", "-1e999" })
            {
                var body = new JsonObject
                {
                    ["updatedAt"] = current["updatedAt"]!.DeepClone(),
                    ["name"] = "Finite",
                    ["items"] = new JsonArray(),
                    ["music"] = current["music"]?.DeepClone(),
                    ["settings"] = current["settings"]?.DeepClone(),
                };
                SetPath(body, field, JsonNode.Parse(bad));
                using var response = await editor.PutAsync(U($"/api/v1/compilations/{id}"),
                    new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"));
                var text = await response.Content.ReadAsStringAsync();
                Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{field} = {bad}: {(int)response.StatusCode} {text}");
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
                Assert.True(NamesField(text, field), $"{field} = {bad}: {text}");
            }
        }

        // Nothing was stored, and the compilation still reads fine.
        Assert.Equal(current["updatedAt"]!.ToString(), (await editor.GetCompilationAsync(id)).GetProperty("updatedAt").GetString());
    }

    /// <summary>The problem's <c>errors</c> array has an entry for <paramref name="field"/>.</summary>
    internal static bool NamesField(string problem, string field) =>
        JsonDocument.Parse(problem).RootElement.TryGetProperty("errors", out var errors)
        && errors.EnumerateArray().Any(e => e.GetProperty("field").GetString() == field);

    [Fact]
    public async Task MalformedOrMistypedBodies_Are400_WithTheFieldWhenThereIsOne()
    {
        await using var server = await TestServer.StartAsync();
        using var editor = await server.LoginAsNewUserAsync("walt", UserRole.Editor);
        using var mistyped = await editor.PostAsync(U("/api/v1/compilations"), new StringContent("""{"name":"x","shared":"perhaps"}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, mistyped.StatusCode);
        Assert.True(NamesField(await mistyped.Content.ReadAsStringAsync(), "shared"));
        using var broken = await editor.PostAsync(U("/api/v1/compilations"), new StringContent("""{"name":""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, broken.StatusCode);
        Assert.Equal("application/problem+json", broken.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task ControlCharacters_InNames_Are400()
    {
        await using var server = await TestServer.StartAsync();
        using var admin = await server.LoginAsNewUserAsync("xena", UserRole.Admin);

        using var compilation = await admin.PostAsJsonAsync(U("/api/v1/compilations"), new { name = "a\u0000b" });
        Assert.Equal(HttpStatusCode.BadRequest, compilation.StatusCode);
        Assert.Contains("name", await compilation.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var id = (await admin.CreateCompilationAsync("Fine name")).GetProperty("id").GetInt64();
        using var renamed = await admin.UpdateAsync(id, new { name = "tab\there" });
        Assert.Equal(HttpStatusCode.BadRequest, renamed.StatusCode);
        Assert.Equal("Fine name", (await admin.GetCompilationAsync(id)).GetProperty("name").GetString());

        using var user = await admin.PostAsJsonAsync(U("/api/v1/admin/users"), new { name = "bell\u0007", password = "long enough pw" });
        Assert.Equal(HttpStatusCode.BadRequest, user.StatusCode);
        Assert.True(NamesField(await user.Content.ReadAsStringAsync(), "name"));

        using var token = await admin.PostAsJsonAsync(U("/api/v1/admin/tokens"), new { name = "line\nbreak" });
        Assert.Equal(HttpStatusCode.BadRequest, token.StatusCode);

        using var asset = await admin.UploadFileAsync("intro", await TestMedia.VideoAsync(), "in\u0001tro.mp4");
        Assert.Equal(HttpStatusCode.BadRequest, asset.StatusCode);
        Assert.Contains("control characters", await asset.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex FormToken();

    [Fact]
    public async Task LoginForm_WithABadReturnUrl_GoesToTheDashboard()
    {
        await using var server = await TestServer.StartAsync();
        await server.AddUserAsync("yuri", "correct horse battery", UserRole.Editor);
        foreach (var returnUrl in new[] { "/\tcompilations", "/renders\n", "/a\r\nSet-Cookie: x=y", "https://evil.example/", "//evil.example/x", "/\\evil.example", "http:/x", "/ok path" })
        {
            using var client = server.CreateClient();
            var page = await client.GetStringAsync(U("/login"));
            var token = WebUtility.HtmlDecode(FormToken().Match(page).Groups[1].Value);
            Assert.NotEmpty(token);
            using var response = await client.PostAsync(U("/account/login"), new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["__RequestVerificationToken"] = token, ["name"] = "yuri", ["password"] = "correct horse battery", ["returnUrl"] = returnUrl,
            }));
            Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"{JsonSerializer.Serialize(returnUrl)}: {(int)response.StatusCode}");
            Assert.Equal("/", response.Headers.Location?.OriginalString);
        }

        // A good one is kept.
        using var good = server.CreateClient();
        var form = await good.GetStringAsync(U("/login"));
        using var ok = await good.PostAsync(U("/account/login"), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = WebUtility.HtmlDecode(FormToken().Match(form).Groups[1].Value),
            ["name"] = "yuri", ["password"] = "correct horse battery", ["returnUrl"] = "/renders?x=1",
        }));
        Assert.Equal("/renders?x=1", ok.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task EveryResponse_CarriesNosniff_AndEditorPagesAStrictCsp()
    {
        await using var server = await TestServer.StartAsync();
        using var anonymous = server.CreateClient();
        using var editor = await server.LoginAsNewUserAsync("zora", UserRole.Editor);
        var responses = new List<HttpResponseMessage>
        {
            await anonymous.GetAsync(U("/healthz")),
            await anonymous.GetAsync(U("/api/v1/version")),
            await anonymous.GetAsync(U("/login")),
            await anonymous.GetAsync(U("/")),
            await anonymous.PostAsync(U("/api/v1/auth/login"), new StringContent("{", Encoding.UTF8, "application/json")),
            await editor.GetAsync(U("/api/v1/compilations/999999")),
            await editor.GetAsync(U("/api/v1/compilations")),
            await editor.GetAsync(U("/")),
        };
        foreach (var response in responses)
            Assert.True(response.Headers.TryGetValues("X-Content-Type-Options", out var values) && values.Single() == "nosniff",
                $"{response.RequestMessage!.RequestUri} ({(int)response.StatusCode}) has no nosniff");

        var login = responses[2];
        Assert.Equal("text/html", login.Content.Headers.ContentType?.MediaType);
        var csp = login.Headers.GetValues("Content-Security-Policy").Single();
        var directives = csp.Split(';', StringSplitOptions.TrimEntries).ToDictionary(d => d.Split(' ')[0], d => d);
        Assert.Equal("script-src 'self'", directives["script-src"]);
        Assert.Equal("object-src 'none'", directives["object-src"]);
        Assert.Equal("frame-ancestors 'none'", directives["frame-ancestors"]);
        Assert.Equal("connect-src 'self'", directives["connect-src"]);
        Assert.True(responses[7].Headers.Contains("Content-Security-Policy"));
    }

    [Fact]
    public async Task Head_WorksWhereGetDoes_OnClipAndAssetMedia()
    {
        await using var server = await TestServer.StartAsync();
        using var editor = await server.LoginAsNewUserAsync("abel", UserRole.Editor);
        var clip = await server.SeedClipAsync("HeadClip");
        var asset = await editor.UploadOkAsync("intro", await TestMedia.VideoAsync());
        foreach (var path in new[] { $"/api/v1/clips/{clip}/media", $"/api/v1/assets/{asset}/media", $"/api/v1/assets/{asset}", "/api/v1/compilations" })
            await AssertHeadMatchesGetAsync(editor, path);
    }

    internal static async Task AssertHeadMatchesGetAsync(HttpClient client, string path)
    {
        using var get = await client.GetAsync(U(path));
        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        var body = await get.Content.ReadAsByteArrayAsync();
        using var head = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, U(path)));
        Assert.True(head.StatusCode == HttpStatusCode.OK, $"HEAD {path}: {(int)head.StatusCode}");
        Assert.Equal(get.Content.Headers.ContentType?.MediaType, head.Content.Headers.ContentType?.MediaType);
        if (head.Content.Headers.ContentLength is { } length)
            Assert.Equal(body.Length, length);
        Assert.Empty(await head.Content.ReadAsByteArrayAsync());
        Assert.Equal("nosniff", head.Headers.GetValues("X-Content-Type-Options").Single());
    }
}
