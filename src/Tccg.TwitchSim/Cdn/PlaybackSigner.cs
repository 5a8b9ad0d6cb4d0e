using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Tccg.TwitchSim.Cdn;

/// <summary>Why a media URL was refused (or not).</summary>
internal enum SignatureCheck
{
    Ok,
    Missing,
    BadSignature,
    Expired,
    WrongClip,
}

/// <summary>
/// The clip playback access token: <c>value</c> is a JSON string carrying <c>expires</c> (unix seconds) and the
/// clip slug, <c>signature</c> an HMAC of it. The CDN accepts <c>?sig=SIGNATURE&amp;token=VALUE</c> until it expires.
/// </summary>
internal sealed class PlaybackSigner(int seed, TimeProvider time)
{
    private readonly byte[] _key = SHA256.HashData(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"tccg-twitchsim-{seed}")));

    public (string Signature, string Value) Sign(string slug, TimeSpan lifetime)
    {
        var expires = (time.GetUtcNow() + lifetime).ToUnixTimeSeconds();
        var value = string.Create(CultureInfo.InvariantCulture,
            $"{{\"authorization\":{{\"forbidden\":false,\"reason\":\"\"}},\"clip_uri\":\"\",\"clip_slug\":{JsonSerializer.Serialize(slug)},\"device_id\":null,\"expires\":{expires},\"user_id\":\"\",\"version\":3}}");
        return (SignatureOf(value), value);
    }

    public SignatureCheck Verify(string? signature, string? value, string slug)
    {
        if (string.IsNullOrEmpty(signature) || string.IsNullOrEmpty(value))
            return SignatureCheck.Missing;
        if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(signature), Encoding.ASCII.GetBytes(SignatureOf(value))))
            return SignatureCheck.BadSignature;
        try
        {
            using var doc = JsonDocument.Parse(value);
            var root = doc.RootElement;
            if (!string.Equals(root.GetProperty("clip_slug").GetString(), slug, StringComparison.Ordinal))
                return SignatureCheck.WrongClip;
            return root.GetProperty("expires").GetInt64() > time.GetUtcNow().ToUnixTimeSeconds()
                ? SignatureCheck.Ok
                : SignatureCheck.Expired;
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            return SignatureCheck.BadSignature;
        }
    }

    private string SignatureOf(string value) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(value)))[..40];   // 40 hex digits, like Twitch's
}
