using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Tccg.Server;

namespace Tccg.Cli.Tests;

/// <summary>
/// <c>Tccg:Server:Certificate:Path</c> (and <c>Password</c>): HTTPS straight from Kestrel, without a proxy, with a
/// certificate made here as PEM (certificate and key in one file) and as a password-protected PFX.
/// </summary>
public sealed class CertificateTests : IDisposable
{
    private const string PfxPassword = "pfx secret";
    private readonly string _work = CliRunner.NewWorkDir();

    public void Dispose() => Directory.Delete(_work, recursive: true);

    [Fact]
    public async Task PemAndPfx_ServeHttpsWithHsts()
    {
        using var certificate = MakeCertificate();
        var pem = Path.Combine(_work, "tccg.pem");
        await File.WriteAllTextAsync(pem, certificate.ExportCertificatePem() + "\n" + certificate.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem() + "\n");
        var pfx = Path.Combine(_work, "tccg.pfx");
        await File.WriteAllBytesAsync(pfx, certificate.Export(X509ContentType.Pkcs12, PfxPassword));

        foreach (var (file, password) in new[] { (pem, ""), (pfx, PfxPassword) })
        {
            var data = Path.Combine(_work, "data-" + Path.GetExtension(file).TrimStart('.'));
            await using var app = await StartAsync(data, file, password);
            var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
            Assert.Equal("https", address.Scheme);

            X509Certificate2? seen = null;
            using var http = new HttpClient(new SocketsHttpHandler
            {
                AllowAutoRedirect = false,
                SslOptions = new SslClientAuthenticationOptions
                {
                    RemoteCertificateValidationCallback = (_, presented, _, _) =>
                    {
                        seen = presented is null ? null : new X509Certificate2(presented);
                        return presented is not null && presented.GetCertHashString() == certificate.GetCertHashString();
                    },
                },
            }) { BaseAddress = address };
            // HSTS is sent for real host names (the framework leaves out localhost and loopback addresses).
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/login", UriKind.Relative));
            request.Headers.Host = "tccg.test";
            var response = await http.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(certificate.Thumbprint, seen?.Thumbprint);
            Assert.StartsWith("max-age=31536000", response.Headers.GetValues("Strict-Transport-Security").Single(), StringComparison.Ordinal);
            seen?.Dispose();
        }
    }

    [Fact]
    public async Task WrongPasswordOrMissingFile_StopsTccgServerWithOneLineNamingTheSetting()
    {
        using var certificate = MakeCertificate();
        var pfx = Path.Combine(_work, "tccg.pfx");
        await File.WriteAllBytesAsync(pfx, certificate.Export(X509ContentType.Pkcs12, PfxPassword));
        var data = Path.Combine(_work, "data");

        var (exit, output, errors) = await CliRunner.RunAsync(_work, "--data", data,
            "--set", "Tccg:Server:Certificate:Path=" + pfx, "--set", "Tccg:Server:Certificate:Password=not it",
            "server", "--urls", "https://127.0.0.1:0");
        Assert.Equal(TccgCli.ExitFailure, exit);
        Assert.DoesNotContain("listening", output, StringComparison.Ordinal);
        Assert.Contains("Tccg:Server:Certificate:Password", errors, StringComparison.Ordinal);
        Assert.Contains(pfx, errors, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", errors, StringComparison.Ordinal);

        var missing = Path.Combine(_work, "nowhere.pem");
        (exit, output, errors) = await CliRunner.RunAsync(_work, "--data", data,
            "--set", "Tccg:Server:Certificate:Path=" + missing, "server", "--urls", "https://127.0.0.1:0");
        Assert.Equal(TccgCli.ExitFailure, exit);
        Assert.DoesNotContain("listening", output, StringComparison.Ordinal);
        Assert.Contains($"Tccg:Server:Certificate:Path: the file {missing} does not exist", errors, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", errors, StringComparison.Ordinal);
    }

    private static X509Certificate2 MakeCertificate()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=tccg.test", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("tccg.test");
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        var now = DateTimeOffset.UtcNow;
        return request.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(1));
    }

    private static async Task<WebApplication> StartAsync(string data, string certificate, string password)
    {
        Directory.CreateDirectory(data);
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Tccg:Storage:Root"] = data,
            ["Tccg:Server:InProcessGenerator"] = "false",
            ["Tccg:Server:Automation"] = "false",
            ["Tccg:Server:Certificate:Path"] = certificate,
            ["Tccg:Server:Certificate:Password"] = password,
        }).Build();
        var app = ServerApp.Build(config, urls: "https://127.0.0.1:0", logging: _ => { });
        await app.StartAsync();
        return app;
    }
}
