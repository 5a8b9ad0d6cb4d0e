using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;

namespace Tccg.TwitchSim.Tests;

public class AuthTests
{
    [Fact]
    public async Task Token_WithRightCredentials_ReturnsBearerTokenWithExpiry()
    {
        await using var sim = await TestSim.StartAsync();
        var url = $"{sim.Host.AuthBaseUrl}/oauth2/token?grant_type=client_credentials&client_id={sim.Host.ClientId}&client_secret={sim.Host.ClientSecret}";
        using var response = await sim.Http.PostAsync(url, null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(30, json.GetProperty("access_token").GetString()!.Length);
        Assert.Equal(JsonValueKind.Number, json.GetProperty("expires_in").ValueKind);
        Assert.Equal((long)TimeSpan.FromDays(60).TotalSeconds, json.GetProperty("expires_in").GetInt64());
        Assert.Equal("bearer", json.GetProperty("token_type").GetString());
        Assert.Equal(1, sim.Host.Counters.TokensIssued);
    }

    [Fact]
    public async Task Token_AsFormBody_IsAcceptedToo()
    {
        await using var sim = await TestSim.StartAsync();
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = sim.Host.ClientId,
            ["client_secret"] = sim.Host.ClientSecret,
        });
        using var response = await sim.Http.PostAsync($"{sim.Host.AuthBaseUrl}/oauth2/token", form);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("wrong-client", null, 400, "invalid client")]
    [InlineData(null, "wrong-secret", 403, "invalid client secret")]
    public async Task Token_WithWrongCredentials_FailsWithTwitchShape(string? clientId, string? secret, int status, string message)
    {
        await using var sim = await TestSim.StartAsync();
        var url = $"{sim.Host.AuthBaseUrl}/oauth2/token?grant_type=client_credentials&client_id={clientId ?? sim.Host.ClientId}&client_secret={secret ?? sim.Host.ClientSecret}";
        using var response = await sim.Http.PostAsync(url, null);
        Assert.Equal(status, (int)response.StatusCode);
        var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(status, json.GetProperty("status").GetInt32());
        Assert.Equal(message, json.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Helix_WithoutToken_Is401OAuthTokenMissing()
    {
        await using var sim = await TestSim.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, sim.Host.HelixBaseUrl + "/games?name=Just%20Chatting");
        request.Headers.Add("Client-Id", sim.Host.ClientId);
        using var response = await sim.Http.SendAsync(request);
        await AssertUnauthorizedAsync(response, "OAuth token is missing");
    }

    [Fact]
    public async Task Helix_WithUnknownToken_Is401InvalidOAuthToken()
    {
        await using var sim = await TestSim.StartAsync();
        using var response = await sim.HelixAsync("/games?name=Just%20Chatting", token: "abcdefghijklmnopqrstuvwxyz0123");
        await AssertUnauthorizedAsync(response, "Invalid OAuth token");
    }

    [Fact]
    public async Task Helix_WithOtherClientId_Is401DoNotMatch()
    {
        await using var sim = await TestSim.StartAsync();
        using var response = await sim.HelixAsync("/games?name=Just%20Chatting", clientId: "someoneelse");
        await AssertUnauthorizedAsync(response, "Client ID and OAuth token do not match");
    }

    [Fact]
    public async Task Helix_AfterExpireTokens_Is401_AndANewTokenWorks()
    {
        await using var sim = await TestSim.StartAsync();
        var token = await sim.TokenAsync();
        using (var ok = await sim.HelixAsync("/games?name=Just%20Chatting", token))
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        sim.Host.ExpireTokens();
        using (var expired = await sim.HelixAsync("/games?name=Just%20Chatting", token))
            await AssertUnauthorizedAsync(expired, "Invalid OAuth token");
        using var fresh = await sim.HelixAsync("/games?name=Just%20Chatting");
        Assert.Equal(HttpStatusCode.OK, fresh.StatusCode);
        Assert.Equal(2, sim.Host.Counters.TokensIssued);
    }

    [Fact]
    public async Task Helix_TokenPastItsLifetime_Is401()
    {
        var clock = new FakeTimeProvider(TestSim.Anchor);
        await using var sim = await TestSim.StartAsync(o =>
        {
            o.TimeProvider = clock;
            o.TokenLifetime = TimeSpan.FromMinutes(5);
        });
        var token = await sim.TokenAsync();
        clock.Advance(TimeSpan.FromMinutes(6));
        using var response = await sim.HelixAsync("/games?name=Just%20Chatting", token);
        await AssertUnauthorizedAsync(response, "Invalid OAuth token");
    }

    [Fact]
    public async Task Validate_ReportsClientIdAndRemainingLifetime()
    {
        await using var sim = await TestSim.StartAsync();
        var token = await sim.TokenAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, sim.Host.AuthBaseUrl + "/oauth2/validate");
        request.Headers.TryAddWithoutValidation("Authorization", "OAuth " + token);
        using var response = await sim.Http.SendAsync(request);
        var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(sim.Host.ClientId, json.GetProperty("client_id").GetString());
        Assert.True(json.GetProperty("expires_in").GetInt64() > 0);
    }

    private static async Task AssertUnauthorizedAsync(HttpResponseMessage response, string message)
    {
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("Unauthorized", json.GetProperty("error").GetString());
        Assert.Equal(401, json.GetProperty("status").GetInt32());
        Assert.Equal(message, json.GetProperty("message").GetString());
    }
}
