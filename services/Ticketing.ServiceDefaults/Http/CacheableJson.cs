using System.Globalization;
using System.Reflection;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace Ticketing.ServiceDefaults.Http;

/// <summary>
/// <c>Cache-Control</c> values of the platform's answers. A service says how long a read stays true; the gateway's
/// output cache, a CDN and browsers keep it that long (and never keep what is not <c>public</c>).
/// </summary>
public static class CacheControl
{
    /// <summary>Personal or changing answers (tokens, holds, orders, "mine", drafts): no cache keeps them.</summary>
    public const string NoStore = "no-store";

    /// <summary>Drafts and other answers for one signed-in caller only.</summary>
    public const string PrivateNoStore = "private, no-store";

    /// <summary>
    /// Anyone may keep the answer for <paramref name="maxAge"/> (whole seconds, at least 1) and then revalidate it with
    /// its <c>ETag</c>.
    /// </summary>
    public static string Public(TimeSpan maxAge) =>
        $"public, max-age={Math.Max(1, (long)maxAge.TotalSeconds).ToString(CultureInfo.InvariantCulture)}";

    /// <summary>A document that never changes at its address: kept for a year, never revalidated.</summary>
    public const string Immutable = "public, max-age=31536000, immutable";
}

/// <summary>
/// A JSON answer with an <c>ETag</c> and a <c>Cache-Control</c>: 304 with no body when the caller's
/// <c>If-None-Match</c> names the same tag. The tag is given (a version the service knows) or, by default, a hash of
/// the body, so it changes exactly when the answer does. Tags are weak (<c>W/"..."</c>): the gateway may send the
/// same answer compressed in several ways.
/// </summary>
public sealed class CacheableJson<T> : IResult, IStatusCodeHttpResult, IValueHttpResult, IValueHttpResult<T>, IEndpointMetadataProvider
{
    internal CacheableJson(T value, string cacheControl, string? entityTag)
    {
        Value = value;
        CacheControlValue = cacheControl;
        EntityTag = entityTag;
    }

    public T Value { get; }

    object? IValueHttpResult.Value => Value;

    public string CacheControlValue { get; }

    /// <summary>The tag given by the endpoint; null when it is the body's hash.</summary>
    public string? EntityTag { get; }

    public int? StatusCode => StatusCodes.Status200OK;

    public Task ExecuteAsync(HttpContext httpContext)
    {
        var options = httpContext.RequestServices.GetRequiredService<IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value;
        var body = JsonSerializer.SerializeToUtf8Bytes(Value, options.SerializerOptions);
        return CacheableJson.WriteAsync(httpContext, body, EntityTag ?? CacheableJson.TagOf(body), CacheControlValue);
    }

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder)
    {
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status200OK, typeof(T), ["application/json"]));
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status304NotModified, typeof(void), [])
        {
            Description = "Not modified: the If-None-Match header names the current ETag.",
        });
    }
}

public static class CacheableJson
{
    /// <summary>An answer anyone may cache for <paramref name="maxAge"/>, tagged by its body's hash.</summary>
    public static CacheableJson<T> Public<T>(T value, TimeSpan maxAge) => new(value, CacheControl.Public(maxAge), null);

    /// <summary>An answer anyone may cache for <paramref name="maxAge"/>, tagged by a version the service keeps.</summary>
    public static CacheableJson<T> Public<T>(T value, TimeSpan maxAge, string version) => new(value, CacheControl.Public(maxAge), WeakTag(version));

    /// <summary>An answer no cache keeps (still tagged, so a client may ask whether it changed).</summary>
    public static CacheableJson<T> Private<T>(T value) => new(value, CacheControl.PrivateNoStore, null);

    /// <summary><c>W/"version"</c>.</summary>
    public static string WeakTag(string version) => $"W/\"{version}\"";

    /// <summary>A weak tag of the first 64 bits of the body's SHA-256.</summary>
    public static string TagOf(ReadOnlySpan<byte> body)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(body, hash);
        return WeakTag(Convert.ToHexStringLower(hash[..8]));
    }

    /// <summary>Whether the request's <c>If-None-Match</c> names <paramref name="entityTag"/> (weak comparison) or is <c>*</c>.</summary>
    public static bool IsNotModified(HttpRequest request, string entityTag)
    {
        var ifNoneMatch = request.Headers.IfNoneMatch;
        if (StringValues.IsNullOrEmpty(ifNoneMatch) || !EntityTagHeaderValue.TryParse(entityTag, out var tag))
        {
            return false;
        }

        if (!EntityTagHeaderValue.TryParseList(ifNoneMatch, out var candidates))
        {
            return false;
        }

        return candidates.Any(candidate => candidate.Equals(EntityTagHeaderValue.Any) || tag.Compare(candidate, useStrongComparison: false));
    }

    /// <summary>Writes a serialized JSON body with its tag and cache policy, or 304 when the caller has it.</summary>
    public static Task WriteAsync(HttpContext context, ReadOnlyMemory<byte> body, string entityTag, string cacheControl)
    {
        var response = context.Response;
        response.Headers.ETag = entityTag;
        response.Headers.CacheControl = cacheControl;
        if (IsNotModified(context.Request, entityTag))
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            return Task.CompletedTask;
        }

        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/json; charset=utf-8";
        response.ContentLength = body.Length;
        return HttpMethods.IsHead(context.Request.Method)
            ? Task.CompletedTask
            : response.Body.WriteAsync(body, context.RequestAborted).AsTask();
    }
}

/// <summary>An already serialized JSON answer (a version's body kept by the service), with its tag and cache policy.</summary>
public sealed class SerializedJson(ReadOnlyMemory<byte> body, string entityTag, string cacheControl) : IResult, IStatusCodeHttpResult
{
    public int? StatusCode => StatusCodes.Status200OK;

    public Task ExecuteAsync(HttpContext httpContext) => CacheableJson.WriteAsync(httpContext, body, entityTag, cacheControl);
}
