using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Tccg.Storage.Accounts;

/// <summary>
/// PBKDF2-HMAC-SHA256 password hashes in a versioned text format:
/// <c>pbkdf2-sha256$1$ITERATIONS$SALT$HASH</c> (salt and hash in base64). Comparison is constant-time.
/// </summary>
public static class PasswordHasher
{
    public const int DefaultIterations = 310_000;
    private const string Scheme = "pbkdf2-sha256";
    private const string Version = "1";
    private const int SaltBytes = 16;
    private const int HashBytes = 32;

    public static string Hash(string password, int iterations = DefaultIterations)
    {
        ArgumentNullException.ThrowIfNull(password);
        ArgumentOutOfRangeException.ThrowIfLessThan(iterations, 100_000);
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        var hash = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA256, HashBytes);
        return string.Join('$', Scheme, Version, iterations.ToString(CultureInfo.InvariantCulture),
            Convert.ToBase64String(salt), Convert.ToBase64String(hash));
    }

    /// <summary>True when <paramref name="password"/> matches; false for a wrong password or a malformed hash.</summary>
    public static bool Verify(string password, string encoded)
    {
        var parts = encoded.Split('$');
        if (parts.Length != 5 || parts[0] != Scheme || parts[1] != Version
            || !int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var iterations) || iterations < 1)
            return false;
        byte[] salt, expected;
        try
        {
            salt = Convert.FromBase64String(parts[3]);
            expected = Convert.FromBase64String(parts[4]);
        }
        catch (FormatException)
        {
            return false;
        }
        var actual = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA256, expected.Length);
        return CryptographicOperations.FixedTimeEquals(actual, expected);
    }

    /// <summary>True when the hash was made with weaker settings than today's and should be replaced at next login.</summary>
    public static bool NeedsRehash(string encoded)
    {
        var parts = encoded.Split('$');
        return parts.Length != 5 || parts[1] != Version
            || !int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var iterations)
            || iterations < DefaultIterations;
    }
}
