using Microsoft.Extensions.Options;
using Tccg.Core.Configuration;

namespace Tccg.Server.Application;

/// <summary>
/// The links the API writes into its answers (a clip's media, a render's files, an asset's media), as a client reaches
/// them: under <c>Tccg:Server:PathBase</c> when the server lives under a prefix behind a proxy.
/// </summary>
public sealed class ApiLinks(IOptions<ServerOptions> options)
{
    /// <summary>The API's root path, e.g. <c>/api/v1</c>, or <c>/tccg/api/v1</c> under the prefix <c>/tccg</c>.</summary>
    public string Root { get; } = options.Value.PathBase + "/api/v1";

    /// <summary>The path of <paramref name="path"/> under the API (<paramref name="path"/> starts with '/').</summary>
    public string To(string path) => Root + path;
}
