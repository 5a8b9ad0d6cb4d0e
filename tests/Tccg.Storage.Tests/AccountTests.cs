using Tccg.Storage.Accounts;

namespace Tccg.Storage.Tests;

public abstract class AccountTests(ITestDatabase provider) : StorageTestBase(provider)
{
    private UserStore Users => new(Database, Time);
    private LoginFailureStore Failures => new(Database);
    private TokenStore Tokens => new(Database, Time);

    [Fact]
    public async Task Verify_RightPassword_Succeeds_WrongPassword_Fails()
    {
        var name = Unique("ann");
        await Users.AddAsync(name, "correct horse", UserRole.Editor, Ct);

        var ok = await Users.VerifyAsync(name, "correct horse", Ct);
        Assert.Equal(LoginResult.Ok, ok.Result);
        Assert.Equal(UserRole.Editor, ok.User!.Role);
        Assert.Equal(LoginResult.WrongPassword, (await Users.VerifyAsync(name, "Correct horse", Ct)).Result);
        Assert.Equal(LoginResult.UnknownUser, (await Users.VerifyAsync(name + "x", "correct horse", Ct)).Result);
    }

    [Fact]
    public async Task Verify_ManyFailures_NeverLockTheAccount()
    {
        var name = Unique("bob");
        await Users.AddAsync(name, "secret password", UserRole.Admin, Ct);
        for (var i = 0; i < 7; i++)
            Assert.Equal(LoginResult.WrongPassword, (await Users.VerifyAsync(name, "nope" + i, Ct)).Result);
        Assert.Equal(LoginResult.Ok, (await Users.VerifyAsync(name, "secret password", Ct)).Result);
    }

    [Fact]
    public async Task SecurityStamp_ChangesWithPasswordRoleAndEndSessions_NotWithTheSameRole()
    {
        var name = Unique("stamp");
        var added = await Users.AddAsync(name, "secret password", UserRole.Editor, Ct);
        Assert.Equal(32, added.SecurityStamp.Length);
        async Task<string> Stamp() => (await Users.GetByNameAsync(name, Ct))!.SecurityStamp;
        Assert.Equal(added.SecurityStamp, await Stamp());
        Assert.Equal(added.SecurityStamp, (await Users.VerifyAsync(name, "secret password", Ct)).User!.SecurityStamp);

        Assert.True(await Users.SetRoleAsync(name, UserRole.Editor, Ct));
        Assert.Equal(added.SecurityStamp, await Stamp());
        Assert.True(await Users.SetRoleAsync(name, UserRole.Admin, Ct));
        var afterRole = await Stamp();
        Assert.NotEqual(added.SecurityStamp, afterRole);
        Assert.Equal(UserRole.Admin, (await Users.GetByNameAsync(name, Ct))!.Role);

        Assert.True(await Users.SetPasswordAsync(name, "another password", Ct));
        var afterPassword = await Stamp();
        Assert.NotEqual(afterRole, afterPassword);

        Assert.True(await Users.EndSessionsAsync(name, Ct));
        Assert.NotEqual(afterPassword, await Stamp());
        Assert.False(await Users.EndSessionsAsync(name + "x", Ct));
    }

    [Fact]
    public async Task LoginFailures_CountBlockForgetAndPrune()
    {
        var key = Unique("k").PadRight(64, '0')[..64];
        var other = Unique("o").PadRight(64, '0')[..64];
        var now = Time.GetUtcNow();
        Assert.Equal(1, await Failures.RecordFailureAsync(key, now, TimeSpan.FromHours(1), Ct));
        Assert.Equal(2, await Failures.RecordFailureAsync(key, now, TimeSpan.FromHours(1), Ct));
        var counts = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Failures.RecordFailureAsync(key, now, TimeSpan.FromHours(1), Ct)));
        Assert.Equal(8, counts.Max());
        Assert.Null(await Failures.BlockedUntilAsync([key, other], now, Ct));

        await Failures.BlockAsync(key, now.AddSeconds(30), Ct);
        await Failures.BlockAsync(key, now.AddSeconds(10), Ct); // never shortened
        Assert.Equal(now.AddSeconds(30).ToUnixTimeMilliseconds(), (await Failures.BlockedUntilAsync([other, key], now, Ct))!.Value.ToUnixTimeMilliseconds());
        Assert.Null(await Failures.BlockedUntilAsync([key], now.AddSeconds(31), Ct));

        // An hour without failures: the count starts again.
        Assert.Equal(1, await Failures.RecordFailureAsync(key, now.AddHours(2), TimeSpan.FromHours(1), Ct));
        await Failures.RecordFailureAsync(other, now, TimeSpan.FromHours(1), Ct);
        Assert.True(await Failures.PruneAsync(now.AddMinutes(1), Ct) >= 1);
        Assert.Equal(1, await Failures.RecordFailureAsync(other, now.AddMinutes(2), TimeSpan.FromHours(1), Ct));
        await Failures.ClearAsync(key, Ct);
        Assert.Equal(1, await Failures.RecordFailureAsync(key, now.AddHours(2), TimeSpan.FromHours(1), Ct));
    }

    [Fact]
    public async Task Users_AddDuplicate_Throws_AndPasswdRoleRemoveWork()
    {
        var name = Unique("東京😀");
        await Users.AddAsync(name, "first password", UserRole.Editor, Ct);
        await Assert.ThrowsAsync<DuplicateInStoreException>(() => Users.AddAsync(name, "other password", UserRole.Admin, Ct));

        Assert.True(await Users.SetPasswordAsync(name, "second password", Ct));
        Assert.Equal(LoginResult.WrongPassword, (await Users.VerifyAsync(name, "first password", Ct)).Result);
        Assert.True((await Users.VerifyAsync(name, "second password", Ct)).Succeeded);
        Assert.True(await Users.SetRoleAsync(name, UserRole.Admin, Ct));
        Assert.Contains(await Users.ListAsync(Ct), u => u.Name == name && u.Role == UserRole.Admin);

        Assert.True(await Users.RemoveAsync(name, Ct));
        Assert.False(await Users.RemoveAsync(name, Ct));
        Assert.Null(await Users.GetByNameAsync(name, Ct));
    }

    [Fact]
    public async Task Users_ShortPassword_IsRefused()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => Users.AddAsync(Unique("d"), "short", UserRole.Editor, Ct));
    }

    [Fact]
    public async Task Tokens_VerifyByHash_RecordUse_AndStopWorkingWhenRevoked()
    {
        var created = await Tokens.CreateAsync("render-box-1", TokenKind.Worker, null, Ct);
        Assert.StartsWith(TokenStore.Prefix, created.Secret, StringComparison.Ordinal);
        Assert.True(created.Secret.Length >= 45);

        var verified = await Tokens.VerifyAsync(created.Secret, Ct);
        Assert.Equal(created.Token.Id, verified!.Id);
        Assert.Equal(TokenKind.Worker, verified.Kind);
        Assert.Null(await Tokens.VerifyAsync(created.Secret + "x", Ct));
        Assert.Null(await Tokens.VerifyAsync("", Ct));
        var listed = Assert.Single(await Tokens.ListAsync(Ct), t => t.Id == created.Token.Id);
        Assert.Equal(Time.GetUtcNow(), listed.LastUsedAt);

        Assert.True(await Tokens.RevokeAsync(created.Token.Id, Ct));
        Assert.Null(await Tokens.VerifyAsync(created.Secret, Ct));
        Assert.True(await Tokens.RevokeAsync(created.Token.Id, Ct));
        Assert.False(await Tokens.RevokeAsync(created.Token.Id + 100_000, Ct));
    }

    [Fact]
    public async Task Tokens_DeleteOthersNamed_KeepsTheGivenTokenAndOtherNames()
    {
        var name = Unique("gen");
        var revoked = await Tokens.CreateAsync(name, TokenKind.Worker, null, Ct);
        var leftBehind = await Tokens.CreateAsync(name, TokenKind.Worker, null, Ct);
        var current = await Tokens.CreateAsync(name, TokenKind.Worker, null, Ct);
        var other = await Tokens.CreateAsync(Unique("other"), TokenKind.Worker, null, Ct);
        await Tokens.RevokeAsync(revoked.Token.Id, Ct);

        Assert.Equal(2, await Tokens.DeleteOthersNamedAsync(name, current.Token.Id, Ct));

        var ids = (await Tokens.ListAsync(Ct)).Select(t => t.Id).ToList();
        Assert.DoesNotContain(revoked.Token.Id, ids);
        Assert.DoesNotContain(leftBehind.Token.Id, ids);
        Assert.Null(await Tokens.VerifyAsync(leftBehind.Secret, Ct));
        Assert.Contains(current.Token.Id, ids);
        Assert.Contains(other.Token.Id, ids);
        Assert.NotNull(await Tokens.VerifyAsync(current.Secret, Ct));
        Assert.Equal(0, await Tokens.DeleteOthersNamedAsync(name, current.Token.Id, Ct));
    }

    [Fact]
    public async Task Tokens_SecretIsNotStored()
    {
        var created = await Tokens.CreateAsync("script", TokenKind.Script, null, Ct);
        await using var connection = await Database.OpenAsync(Ct);
        var hash = await Dapper.SqlMapper.ExecuteScalarAsync<string>(connection,
            "SELECT secret_hash FROM api_tokens WHERE id = @Id", new { created.Token.Id });
        Assert.Equal(TokenStore.HashOf(created.Secret), hash);
        Assert.DoesNotContain(created.Secret[TokenStore.Prefix.Length..], hash, StringComparison.Ordinal);
    }
}

public sealed class AccountSqliteTests() : AccountTests(new SqliteTestDatabase());

public sealed class AccountMariaDbTests(MariaDbTestDatabase db) : AccountTests(db), IClassFixture<MariaDbTestDatabase>;

public class PasswordHasherTests
{
    [Fact]
    public void Hash_IsVersionedSaltedAndVerifies()
    {
        var a = PasswordHasher.Hash("pässwörd 🔑");
        var b = PasswordHasher.Hash("pässwörd 🔑");
        Assert.StartsWith("pbkdf2-sha256$1$310000$", a, StringComparison.Ordinal);
        Assert.NotEqual(a, b);
        Assert.True(PasswordHasher.Verify("pässwörd 🔑", a));
        Assert.False(PasswordHasher.Verify("passwörd 🔑", a));
        Assert.False(PasswordHasher.Verify("x", "garbage"));
        Assert.False(PasswordHasher.NeedsRehash(a));
        Assert.True(PasswordHasher.NeedsRehash(PasswordHasher.Hash("x", 100_000)));
    }
}
