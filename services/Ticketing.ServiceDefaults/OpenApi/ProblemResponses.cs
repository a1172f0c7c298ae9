using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace Ticketing.ServiceDefaults.OpenApi;

/// <summary>Endpoint metadata for the OpenAPI documents: the problem answers an endpoint gives, and when.</summary>
public static class ProblemResponses
{
    public const string ProblemJson = "application/problem+json";

    /// <summary>
    /// The endpoint answers <paramref name="statusCode"/> with an <c>application/problem+json</c> body;
    /// <paramref name="description"/> says when (and with which <c>reason</c> codes).
    /// </summary>
    public static RouteHandlerBuilder ProducesProblemWhen(this RouteHandlerBuilder builder, int statusCode, string description) =>
        builder.WithMetadata(new ProducesResponseTypeMetadata(statusCode, typeof(ProblemDetails), [ProblemJson]) { Description = description });

    /// <summary>A cacheable read: 304 with no body when the caller's <c>If-None-Match</c> names the current <c>ETag</c>.</summary>
    public static RouteHandlerBuilder ProducesNotModified(this RouteHandlerBuilder builder) =>
        builder.WithMetadata(new ProducesResponseTypeMetadata(StatusCodes.Status304NotModified, typeof(void), [])
        {
            Description = "Not modified: the If-None-Match header names the current ETag.",
        });
}

/// <summary>Request headers an endpoint reads itself (rather than binding them), named in its OpenAPI operation.</summary>
public static class HeaderParameters
{
    public static RouteHandlerBuilder WithRequestHeader(this RouteHandlerBuilder builder, string name, string description, bool required) =>
        builder.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            operation.Parameters ??= [];
            operation.Parameters.Add(new Microsoft.OpenApi.OpenApiParameter
            {
                Name = name,
                In = Microsoft.OpenApi.ParameterLocation.Header,
                Required = required,
                Description = description,
                Schema = new Microsoft.OpenApi.OpenApiSchema { Type = Microsoft.OpenApi.JsonSchemaType.String },
            });
            return Task.CompletedTask;
        });
}
