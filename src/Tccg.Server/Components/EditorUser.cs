using System.Security.Claims;
using Tccg.Server.Auth;
using Tccg.Storage.Compilations;
using Tccg.Storage.Renders;

namespace Tccg.Server.Components;

/// <summary>The signed-in person as the pages need them, and who may see what.</summary>
public sealed record EditorUser(long? Id, string Name, bool IsAdmin)
{
    public static EditorUser From(ClaimsPrincipal principal) =>
        new(principal.UserId(), principal.Identity?.Name ?? "", principal.IsAdmin());

    /// <summary>Owners see their compilations, everyone sees shared ones, admins see all.</summary>
    public bool CanSee(Compilation compilation) => IsAdmin || compilation.Shared || compilation.OwnerId == Id;

    public bool CanSee(RenderJob job) => IsAdmin || job.OwnerId == Id;
}
