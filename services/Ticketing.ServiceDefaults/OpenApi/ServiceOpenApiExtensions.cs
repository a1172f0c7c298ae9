using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.OpenApi;

namespace Ticketing.ServiceDefaults.OpenApi;

/// <summary>
/// The service's OpenAPI document (<c>Microsoft.AspNetCore.OpenApi</c>), generated from its endpoints: their typed
/// results and <c>Produces</c> metadata give the responses, and each operation states who may call it, read from
/// the endpoint's authorization metadata (<see cref="AuthorizationOperationTransformer"/>).
/// </summary>
public static class ServiceOpenApiExtensions
{
    /// <summary>Where a service serves its document: <c>/openapi/{name}.json</c> (the gateway serves it at the same path in development).</summary>
    public const string DocumentRoute = "/openapi/{documentName}.json";

    /// <summary>The name of the bearer-token security scheme in every document.</summary>
    public const string BearerScheme = "bearer";

    public static IHostApplicationBuilder AddServiceOpenApi(this IHostApplicationBuilder builder, ServiceDocument document)
    {
        builder.Services.AddOpenApi(document.Name, options =>
        {
            options.AddDocumentTransformer((openApi, _, _) =>
            {
                Describe(openApi, document);
                return Task.CompletedTask;
            });
            options.AddOperationTransformer<AuthorizationOperationTransformer>();
            options.AddOperationTransformer((operation, context, _) =>
            {
                DescribeResponses(operation, context.Description.ActionDescriptor.EndpointMetadata);
                return Task.CompletedTask;
            });
            // Strings go through the platform's own converter (it refuses control characters), which hides their
            // type from the schema exporter: name it again.
            options.AddSchemaTransformer((schema, context, _) =>
            {
                if (context.JsonTypeInfo.Type == typeof(string) && schema.Type is null && schema.Enum is not { Count: > 0 })
                {
                    schema.Type = JsonSchemaType.String;
                }

                if (context.JsonTypeInfo.Type == typeof(ProblemDetails) || context.JsonTypeInfo.Type == typeof(HttpValidationProblemDetails))
                {
                    DescribeProblemExtensions(schema);
                }

                return Task.CompletedTask;
            });
        });
        return builder;
    }

    /// <summary><c>GET /openapi/{name}.json</c>: anonymous, never cached (the document follows the running code).</summary>
    public static WebApplication MapServiceOpenApi(this WebApplication app)
    {
        app.MapOpenApi(DocumentRoute).AllowAnonymous().ExcludeFromDescription();
        return app;
    }

    /// <summary>The endpoint's own words for each answer (<c>ProducesProblemWhen</c>), in place of the bare reason phrase.</summary>
    private static void DescribeResponses(OpenApiOperation operation, IList<object>? metadata)
    {
        foreach (var produces in metadata?.OfType<IProducesResponseTypeMetadata>() ?? [])
        {
            var status = produces.StatusCode.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (produces.Description is { Length: > 0 } description && operation.Responses?.TryGetValue(status, out var response) == true
                && response is OpenApiResponse concrete)
            {
                concrete.Description = description;
            }
        }
    }

    /// <summary>What the platform adds to every problem: the trace and correlation ids and, where clients must tell cases apart, a reason code.</summary>
    private static void DescribeProblemExtensions(OpenApiSchema schema)
    {
        schema.Properties ??= new Dictionary<string, IOpenApiSchema>();
        schema.Properties.TryAdd("reason", new OpenApiSchema
        {
            Type = JsonSchemaType.String,
            Description = "A stable code where a client must tell cases apart (e.g. admission_required, already_checked_in, not_open).",
        });
        schema.Properties.TryAdd("traceId", new OpenApiSchema { Type = JsonSchemaType.String, Description = "The W3C trace id of the request." });
        schema.Properties.TryAdd("correlationId", new OpenApiSchema { Type = JsonSchemaType.String, Description = "The request's X-Correlation-Id." });
    }

    private static void Describe(OpenApiDocument openApi, ServiceDocument document)
    {
        openApi.Info = new OpenApiInfo
        {
            Title = $"Ticketing {document.Title}",
            Version = "v1",
            Description = document.Description + "\n\n" +
                "Every error is `application/problem+json` (RFC 7807): `errors` per field for validation failures, and a `reason` " +
                "code where a client must tell cases apart. Requests that are not anonymous carry `Authorization: Bearer <JWT>` " +
                "with the caller in `sub` and the role (`fan` or `operator`) in `role`. Through the gateway every route is also " +
                "rate limited (429 with `Retry-After`).",
        };

        // No servers: a reader resolves the paths against wherever it fetched the document (the gateway), so a
        // "try it" request goes through the gateway rather than to the service's own address.
        openApi.Servers = [];
        openApi.Components ??= new OpenApiComponents();
        openApi.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        openApi.Components.SecuritySchemes[BearerScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            BearerFormat = "JWT",
            Description = "A JWT with the caller in `sub` and `fan` or `operator` in `role`. Locally, `POST /auth/token` on the gateway " +
                "signs one: `{ \"userName\": \"fan-1\", \"role\": \"fan\" }`.",
        };
    }
}

/// <summary>
/// Writes each operation's authorization into the document, from the endpoint's own metadata (so the document cannot
/// drift from what the service enforces): a bearer security requirement listing the roles that may call it (OpenAPI
/// 3.1 allows role names for non-OAuth schemes), <c>x-authorization</c> (<c>anonymous</c>, <c>fan</c>,
/// <c>operator</c>, <c>fan-or-operator</c>), a sentence for readers, and the 401 and 403 problem answers.
/// </summary>
public sealed class AuthorizationOperationTransformer(IAuthorizationPolicyProvider policies) : IOpenApiOperationTransformer
{
    /// <summary>The extension naming who may call an operation.</summary>
    public const string Extension = "x-authorization";

    public const string Anonymous = "anonymous";

    public async Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var roles = await RolesAsync(context.Description.ActionDescriptor.EndpointMetadata, policies);
        var who = roles is null ? Anonymous : roles.Count == 0 ? "signed-in" : string.Join("-or-", roles);
        operation.Extensions ??= new Dictionary<string, IOpenApiExtension>();
        operation.Extensions[Extension] = new JsonNodeExtension(System.Text.Json.Nodes.JsonValue.Create(who));
        operation.Description = string.IsNullOrEmpty(operation.Description)
            ? Sentence(roles)
            : operation.Description + "\n\n" + Sentence(roles);

        if (roles is null)
        {
            return;
        }

        operation.Security =
        [
            new OpenApiSecurityRequirement
            {
                [new OpenApiSecuritySchemeReference(ServiceOpenApiExtensions.BearerScheme, context.Document)] = [.. roles],
            },
        ];

        var problem = await ProblemSchemaAsync(context, cancellationToken);
        operation.Responses ??= [];
        operation.Responses.TryAdd("401", ProblemResponse("No token, or an expired, forged or malformed one.", problem));
        if (roles.Count > 0)
        {
            operation.Responses.TryAdd("403", ProblemResponse($"The token's role is not {string.Join(" or ", roles)}.", problem));
        }
    }

    /// <summary>
    /// Who may call an endpoint: null for anyone (no authorization, or <c>AllowAnonymous</c>), otherwise the roles every
    /// applicable policy allows (their intersection; empty when any signed-in caller may).
    /// </summary>
    public static async Task<IReadOnlyList<string>?> RolesAsync(IEnumerable<object>? metadata, IAuthorizationPolicyProvider policies)
    {
        var items = metadata?.ToList() ?? [];
        if (items.OfType<IAllowAnonymous>().Any())
        {
            return null;
        }

        var policy = await AuthorizationPolicy.CombineAsync(policies, items.OfType<IAuthorizeData>(), items.OfType<AuthorizationPolicy>());
        if (policy is null)
        {
            return null;
        }

        IEnumerable<string>? roles = null;
        foreach (var requirement in policy.Requirements.OfType<Microsoft.AspNetCore.Authorization.Infrastructure.RolesAuthorizationRequirement>())
        {
            roles = roles is null ? requirement.AllowedRoles : roles.Intersect(requirement.AllowedRoles, StringComparer.Ordinal);
        }

        return (roles ?? []).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
    }

    private static string Sentence(IReadOnlyList<string>? roles) => roles switch
    {
        null => "**Who:** anyone; no token needed.",
        [] => "**Who:** any signed-in caller (`Authorization: Bearer <JWT>`).",
        _ => $"**Who:** a bearer token with role {string.Join(" or ", roles.Select(role => $"`{role}`"))}.",
    };

    private static async Task<IOpenApiSchema> ProblemSchemaAsync(OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        const string name = nameof(ProblemDetails);
        var components = context.Document?.Components;
        if (components is null || context.Document is null)
        {
            return await context.GetOrCreateSchemaAsync(typeof(ProblemDetails), null, cancellationToken);
        }

        components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
        if (!components.Schemas.ContainsKey(name))
        {
            components.Schemas[name] = await context.GetOrCreateSchemaAsync(typeof(ProblemDetails), null, cancellationToken);
        }

        return new OpenApiSchemaReference(name, context.Document);
    }

    private static OpenApiResponse ProblemResponse(string description, IOpenApiSchema schema) => new()
    {
        Description = description,
        Content = new Dictionary<string, OpenApiMediaType>
        {
            ["application/problem+json"] = new() { Schema = schema },
        },
    };
}
