using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Tccg.Server.Extensions;

/// <summary>
/// What every request and response gets, whatever the route: request bodies with only finite numbers (a bad body is
/// a 400 naming the field, never a 500), <c>X-Content-Type-Options: nosniff</c> on every response and a strict
/// Content-Security-Policy on the editor's pages.
/// </summary>
internal static class RequestHardening
{
    /// <summary>
    /// Scripts only from this server (blazor.web.js, editor.js: no inline script, no eval), connections (the circuit's
    /// WebSocket, fetch) only to it, no plugins, no framing, forms post only here. Styles allow inline attributes: the
    /// pages and Blazor's reconnect dialog set styles, which cannot run code.
    /// </summary>
    public const string EditorContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; media-src 'self' blob:; "
        + "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    public static IServiceCollection AddRequestHardening(this IServiceCollection services)
    {
        services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.Converters.Add(new FiniteDoubleConverter());
            o.SerializerOptions.Converters.Add(new FiniteSingleConverter());
        });
        // Bad bodies throw, so the handler below can name the field instead of a bare 400.
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddExceptionHandler<BadRequestExceptionHandler>();
        return services;
    }

    /// <summary>First in the pipeline, so errors, redirects and 401s carry the headers too.</summary>
    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        var response = context.Response;
        response.OnStarting(() =>
        {
            response.Headers.XContentTypeOptions = "nosniff";
            if (response.ContentType is { } type && type.StartsWith("text/html", StringComparison.OrdinalIgnoreCase))
            {
                response.Headers.ContentSecurityPolicy = EditorContentSecurityPolicy;
                response.Headers["Referrer-Policy"] = "same-origin";
            }
            return Task.CompletedTask;
        });
        return next(context);
    });

    /// <summary>"music.volume" from "$.music.volume".</summary>
    internal static string FieldOf(string path) =>
        path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.StartsWith('$') ? path[1..] : path;

    private static double ReadFinite(ref Utf8JsonReader reader)
    {
        double value;
        if (reader.TokenType == JsonTokenType.String)
        {
            if (!double.TryParse(reader.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out value))
                throw new JsonException("must be a number");
        }
        else if (reader.TokenType != JsonTokenType.Number || !reader.TryGetDouble(out value))
        {
            throw new JsonException("must be a number");
        }
        if (!double.IsFinite(value))
            throw new JsonException("must be a finite number (not NaN or Infinity)");
        return value;
    }

    private sealed class FiniteDoubleConverter : JsonConverter<double>
    {
        public override double Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => ReadFinite(ref reader);

        public override void Write(Utf8JsonWriter writer, double value, JsonSerializerOptions options) => writer.WriteNumberValue(value);
    }

    private sealed class FiniteSingleConverter : JsonConverter<float>
    {
        public override float Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            var value = ReadFinite(ref reader);
            return value is > float.MaxValue or < float.MinValue
                ? throw new JsonException("must be a finite number (not NaN or Infinity)")
                : (float)value;
        }

        public override void Write(Utf8JsonWriter writer, float value, JsonSerializerOptions options) => writer.WriteNumberValue(value);
    }

    /// <summary>A body that cannot be read: 400 (or the exception's status) as a problem naming the field when JSON says which.</summary>
    private sealed class BadRequestExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
    {
        public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
        {
            if (exception is not BadHttpRequestException bad)
                return false;
            var problem = new ProblemDetails { Status = bad.StatusCode, Title = "Invalid request", Detail = bad.Message };
            if (FindJsonException(exception) is { } json)
            {
                problem.Title = "The request body is not valid";
                if (json.Path is { Length: > 1 } path)
                {
                    var field = FieldOf(path);
                    var message = json.Message.StartsWith("must ", StringComparison.Ordinal) ? json.Message : "has a value of the wrong type or form";
                    problem.Detail = $"{field}: {message}";
                    problem.Extensions["errors"] = new[] { new Tccg.Core.Compilations.ValidationMessage(field, message) };
                }
                else
                {
                    problem.Detail = "The body is not well-formed JSON.";
                }
            }
            httpContext.Response.StatusCode = bad.StatusCode;
            return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = problem, Exception = exception });
        }

        private static JsonException? FindJsonException(Exception? e)
        {
            for (; e is not null; e = e.InnerException)
            {
                if (e is JsonException json)
                    return json;
            }
            return null;
        }
    }
}

/// <summary>HEAD wherever GET works (media, downloads, JSON): the same status and headers, no body.</summary>
internal static class HeadRequests
{
    public static RouteGroupBuilder AllowHeadWhereGet(this RouteGroupBuilder group)
    {
        ((IEndpointConventionBuilder)group).Add(endpoint =>
        {
            var methods = endpoint.Metadata.OfType<Microsoft.AspNetCore.Routing.IHttpMethodMetadata>().LastOrDefault();
            if (methods is { HttpMethods: [var only] } && HttpMethods.IsGet(only))
                endpoint.Metadata.Add(new Microsoft.AspNetCore.Routing.HttpMethodMetadata([HttpMethods.Get, HttpMethods.Head]));
        });
        return group;
    }
}
