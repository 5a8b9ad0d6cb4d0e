using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;

namespace Tccg.Server.Features.Deployment;

/// <summary>
/// The decryptor's former name: Data Protection keys written before the key ring moved to Tccg.Twitch.Security name
/// this type in the database, so it stays and hands over to <see cref="Tccg.Twitch.Security.AesGcmXmlDecryptor"/>.
/// </summary>
public sealed class AesGcmXmlDecryptor(IServiceProvider services) : IXmlDecryptor
{
    public XElement Decrypt(XElement encryptedElement) => new Tccg.Twitch.Security.AesGcmXmlDecryptor(services).Decrypt(encryptedElement);
}
