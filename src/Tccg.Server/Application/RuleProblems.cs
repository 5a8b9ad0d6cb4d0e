using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Tccg.Server.Application;

/// <summary>Turns a <see cref="RuleException"/> thrown below an API endpoint into its RFC 7807 problem.</summary>
public static class RuleProblems
{
    public static ProblemHttpResult Problem(RuleException e) => TypedResults.Problem(
        statusCode: e.Status, title: e.Title, detail: e.Detail,
        extensions: e.Errors.Count == 0 ? null : new Dictionary<string, object?> { ["errors"] = e.Errors });
}

/// <summary>The caller of an API request.</summary>
public static class HttpCaller
{
    public static CurrentUser Caller(this HttpContext http) => CurrentUser.From(http.User);
}
