using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Tccg.Core.Configuration;

namespace Tccg.Server.Features.Deployment;

/// <summary>Loads <c>Tccg:Server:Certificate</c> (PFX, or PEM with the key inside or beside it) for Kestrel.</summary>
public static class ServerCertificate
{
    public static X509Certificate2 Load(CertificateOptions options)
    {
        var path = options.Path;
        if (!File.Exists(path))
            throw new InvalidConfigurationException($"{CertificateOptions.Section}:Path: the file {path} does not exist.");
        try
        {
            var extension = System.IO.Path.GetExtension(path).ToLowerInvariant();
            if (extension is ".pfx" or ".p12")
            {
                try
                {
                    return X509CertificateLoader.LoadPkcs12FromFile(path, options.Password.Length > 0 ? options.Password : null);
                }
                catch (CryptographicException e)
                {
                    throw new InvalidConfigurationException(
                        $"{CertificateOptions.Section}:Password: the PFX file {path} could not be opened with this password, or is no PFX file ({e.Message}).");
                }
            }

            var key = options.KeyPath.Length > 0 ? options.KeyPath : path;
            if (!File.Exists(key))
                throw new InvalidConfigurationException($"{CertificateOptions.Section}:KeyPath: the file {key} does not exist.");
            using var pem = options.Password.Length > 0
                ? X509Certificate2.CreateFromEncryptedPemFile(path, options.Password, key)
                : X509Certificate2.CreateFromPemFile(path, key);
            // Kestrel needs the key in a form the TLS stack can use on every platform.
            return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            throw new InvalidConfigurationException($"{CertificateOptions.Section}:Path: {path} could not be read as a PFX or PEM certificate with its key ({e.Message}).");
        }
    }
}
