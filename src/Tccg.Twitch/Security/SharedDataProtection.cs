using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Tccg.Core.Configuration;
using Tccg.Storage.Servers;

namespace Tccg.Twitch.Security;

/// <summary>
/// The ASP.NET Core Data Protection key ring (what signs session and anti-forgery cookies and protects the Twitch
/// refresh tokens) lives in the database, so every server on one database reads the others' cookies, a restart keeps
/// everyone logged in, and a CLI command (<c>tccg twitch</c>, <c>tccg download</c>) run as a separate process reads
/// what the server protected: every host gets it through <c>AddTccgTwitch()</c>. The keys are
/// encrypted at rest with AES-256-GCM under a key-encryption key in <c>{Storage:Root}/keys/</c> (the data folder
/// several servers already share for media): the database alone does not give the keys away.
/// </summary>
public static class SharedDataProtection
{
    public const string ApplicationName = "tccg";

    /// <summary>Idempotent; needs <c>AddTccgStorage()</c> (the key store) and the options (<c>Storage:Root</c>).</summary>
    public static IServiceCollection AddSharedDataProtection(this IServiceCollection services)
    {
        if (services.Any(d => d.ServiceType == typeof(KeyEncryptionKey)))
            return services;
        services.AddDataProtection().SetApplicationName(ApplicationName);
        services.AddSingleton<KeyEncryptionKey>();
        services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(sp => new ConfigureOptions<KeyManagementOptions>(o =>
        {
            o.XmlRepository = new DatabaseXmlRepository(sp.GetRequiredService<IDataProtectionKeyStore>(), sp.GetRequiredService<KeyEncryptionKey>());
            o.XmlEncryptor = new AesGcmXmlEncryptor(sp.GetRequiredService<KeyEncryptionKey>());
        }));
        return services;
    }

    /// <summary>
    /// Data Protection's repository interface is synchronous; it is called when the key ring is first read, when it
    /// is refreshed (about once a day) and when a key is made, so waiting on the store there costs nothing.
    /// </summary>
    private sealed class DatabaseXmlRepository(IDataProtectionKeyStore store, KeyEncryptionKey key) : IXmlRepository
    {
        public IReadOnlyCollection<XElement> GetAllElements() =>
        [
            .. store.ListXmlAsync(CancellationToken.None).GetAwaiter().GetResult().Select(x => XElement.Parse(x)),
            .. LegacyKeys(),
        ];

        /// <summary>
        /// Keys that earlier versions of the CLI wrote as files into <c>{Storage:Root}/keys/key-*.xml</c>: still read
        /// (never written), so refresh tokens protected with them can be unprotected until they are next refreshed.
        /// </summary>
        private IEnumerable<XElement> LegacyKeys()
        {
            var folder = System.IO.Path.GetDirectoryName(key.Path)!;
            if (!Directory.Exists(folder))
                return [];
            return Directory.EnumerateFiles(folder, "key-*.xml").Select(f => XElement.Parse(File.ReadAllText(f))).ToList();
        }

        public void StoreElement(XElement element, string friendlyName) =>
            store.AddAsync(friendlyName, element.ToString(SaveOptions.DisableFormatting), CancellationToken.None).GetAwaiter().GetResult();
    }
}

/// <summary>The 256-bit key that encrypts the Data Protection keys: <c>{Storage:Root}/keys/data-protection.key</c>, made on first use (mode 0600).</summary>
public sealed class KeyEncryptionKey
{
    public const string RelativePath = "keys/data-protection.key";
    private readonly Lazy<byte[]> _bytes;

    public KeyEncryptionKey(IOptions<StorageOptions> storage)
    {
        var path = System.IO.Path.Combine(storage.Value.Root, RelativePath);
        Path = path;
        _bytes = new Lazy<byte[]>(() => LoadOrCreate(path));
    }

    public string Path { get; }

    public byte[] Bytes => _bytes.Value;

    private static byte[] LoadOrCreate(string path)
    {
        if (!File.Exists(path))
        {
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
            try
            {
                var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
                if (!OperatingSystem.IsWindows())
                    options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
                using var stream = new FileStream(path, options);
                stream.Write(Encoding.ASCII.GetBytes(Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)) + "\n"));
            }
            catch (IOException) when (File.Exists(path))
            {
                // Another server sharing the data folder made it first.
            }
        }

        var key = Convert.FromBase64String(File.ReadAllText(path).Trim());
        if (key.Length != 32)
            throw new InvalidOperationException($"{path} does not hold a 256-bit key; restore it from a backup (sessions end if it is replaced).");
        return key;
    }
}

/// <summary>Encrypts a Data Protection key element with <see cref="KeyEncryptionKey"/> (AES-256-GCM).</summary>
public sealed class AesGcmXmlEncryptor(KeyEncryptionKey key) : IXmlEncryptor
{
    public EncryptedXmlInfo Encrypt(XElement plaintextElement)
    {
        var plain = Encoding.UTF8.GetBytes(plaintextElement.ToString(SaveOptions.DisableFormatting));
        var nonce = RandomNumberGenerator.GetBytes(AesGcm.NonceByteSizes.MaxSize);
        var tag = new byte[AesGcm.TagByteSizes.MaxSize];
        var cipher = new byte[plain.Length];
        using (var aes = new AesGcm(key.Bytes, tag.Length))
            aes.Encrypt(nonce, plain, cipher, tag);
        var element = new XElement("tccgEncryptedKey",
            new XComment(" AES-256-GCM under the key in {Storage:Root}/" + KeyEncryptionKey.RelativePath + " "),
            new XElement("value", Convert.ToBase64String([.. nonce, .. tag, .. cipher])));
        return new EncryptedXmlInfo(element, typeof(AesGcmXmlDecryptor));
    }
}

/// <summary>Decrypts what <see cref="AesGcmXmlEncryptor"/> wrote (Data Protection creates it with the service provider).</summary>
public sealed class AesGcmXmlDecryptor(IServiceProvider services) : IXmlDecryptor
{
    public XElement Decrypt(XElement encryptedElement)
    {
        var key = services.GetRequiredService<KeyEncryptionKey>();
        var data = Convert.FromBase64String((string?)encryptedElement.Element("value") ?? "");
        var nonceSize = AesGcm.NonceByteSizes.MaxSize;
        var tagSize = AesGcm.TagByteSizes.MaxSize;
        if (data.Length < nonceSize + tagSize)
            throw new CryptographicException("A Data Protection key in the database is damaged.");
        var plain = new byte[data.Length - nonceSize - tagSize];
        using (var aes = new AesGcm(key.Bytes, tagSize))
            aes.Decrypt(data.AsSpan(0, nonceSize), data.AsSpan(nonceSize + tagSize), data.AsSpan(nonceSize, tagSize), plain);
        return XElement.Parse(Encoding.UTF8.GetString(plain));
    }
}
