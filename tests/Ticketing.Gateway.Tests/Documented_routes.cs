using Ticketing.Gateway.ApiReference;
using Ticketing.ServiceDefaults.OpenApi;
using Yarp.ReverseProxy;

namespace Ticketing.Gateway.Tests;

/// <summary>
/// The services' OpenAPI documents, read through the gateway as a client reads them, against the gateway's own route
/// table (<c>ReverseProxy:Routes</c> of <c>gateway/appsettings.json</c>, as the running gateway loaded it; the gateway
/// passes paths on unchanged, so a route's path is its service's path): every route and method leads to a documented
/// operation with the route's authorization, and every documented operation is reachable through a route.
/// </summary>
public sealed class Documented_routes(GatewayFixture platform, ITestOutputHelper output) : IClassFixture<GatewayFixture>
{
    /// <summary>
    /// Operations a service documents that the gateway deliberately does not route ("METHOD /path" as documented).
    /// None today: every documented operation is public API.
    /// </summary>
    private static readonly HashSet<string> DeliberatelyInternal = [];

    private static readonly string[] Methods = ["get", "put", "post", "delete", "patch"];

    [Fact]
    public async Task Every_gateway_route_has_a_documented_operation_with_its_authorization_and_every_operation_a_route()
    {
        var operations = await DocumentedOperationsAsync();
        var routes = GatewayRoutes();
        var failures = new List<string>();

        foreach (var route in routes)
        {
            foreach (var method in route.Methods)
            {
                var documented = operations.Where(operation => operation.Method == method && route.Matches(operation.Path) && Route.For(routes, operation) == route).ToList();
                if (documented.Count == 0)
                {
                    failures.Add($"gateway route {route.Id} ({method} {route.Path}) has no documented operation");
                }

                failures.AddRange(documented
                    .Where(operation => operation.Authorization != route.Authorization)
                    .Select(operation => $"{operation}: documented for {operation.Authorization}, routed by {route.Id} for {route.Authorization}"));
            }
        }

        foreach (var operation in operations.Where(operation => !DeliberatelyInternal.Contains(operation.ToString())))
        {
            if (Route.For(routes, operation) is null)
            {
                failures.Add($"{operation} ({operation.Service}) is documented but no gateway route reaches it");
            }
        }

        output.WriteLine($"{routes.Count} gateway routes, {operations.Count} documented operations:");
        foreach (var operation in operations)
        {
            output.WriteLine($"  {operation,-60} {operation.Authorization,-16} via {Route.For(routes, operation)?.Id ?? "-"}");
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.Empty(DeliberatelyInternal.Except(operations.Select(operation => operation.ToString())));
    }

    [Fact]
    public async Task Every_operation_states_who_may_call_it_and_its_problem_answers()
    {
        var failures = new List<string>();
        foreach (var operation in await DocumentedOperationsAsync())
        {
            var element = operation.Element;
            var responses = element.GetProperty("responses").EnumerateObject().ToList();
            if (!responses.Any(response => response.Name.StartsWith('2')))
            {
                failures.Add($"{operation}: no success answer");
            }

            // Every error a service writes is a problem detail, so every documented error must say so.
            foreach (var error in responses.Where(response => response.Name[0] is '4' or '5'))
            {
                if (!error.Value.TryGetProperty("content", out var content) || !content.TryGetProperty("application/problem+json", out _))
                {
                    failures.Add($"{operation}: {error.Name} is not documented as application/problem+json");
                }
            }

            if (operation.Authorization == AuthorizationOperationTransformer.Anonymous)
            {
                if (element.TryGetProperty("security", out var security) && security.GetArrayLength() > 0)
                {
                    failures.Add($"{operation}: anonymous but with a security requirement");
                }

                continue;
            }

            var roles = element.GetProperty("security").EnumerateArray().Single().GetProperty(ServiceOpenApiExtensions.BearerScheme)
                .EnumerateArray().Select(role => role.GetString()).ToList();
            if (string.Join("-or-", roles) != operation.Authorization)
            {
                failures.Add($"{operation}: bearer roles [{string.Join(", ", roles)}] but {AuthorizationOperationTransformer.Extension} {operation.Authorization}");
            }

            if (!responses.Any(response => response.Name == "401") || !responses.Any(response => response.Name == "403"))
            {
                failures.Add($"{operation}: needs a token but documents no 401 and 403");
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public async Task The_API_reference_page_lists_every_services_document()
    {
        using var client = platform.Gateway.CreateClient();
        using var page = await client.GetAsync($"{ApiReferenceHosting.ReferencePath}/");
        var html = await page.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("script-src 'self' 'nonce-", page.Headers.GetValues("Content-Security-Policy").Single());
        Assert.All(ServiceDocuments.All, document => Assert.Contains($"openapi/{document.Name}.json", html));
    }

    private async Task<List<Operation>> DocumentedOperationsAsync()
    {
        using var client = platform.Gateway.CreateClient();
        var operations = new List<Operation>();
        foreach (var document in ServiceDocuments.All)
        {
            using var response = await client.GetAsync(document.Path);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{document.Path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            Assert.Equal($"Ticketing {document.Title}", json.RootElement.GetProperty("info").GetProperty("title").GetString());
            foreach (var path in json.RootElement.GetProperty("paths").EnumerateObject())
            {
                foreach (var method in Methods.Where(method => path.Value.TryGetProperty(method, out _)))
                {
                    var element = path.Value.GetProperty(method).Clone();
                    var authorization = element.TryGetProperty(AuthorizationOperationTransformer.Extension, out var who) ? who.GetString() : null;
                    operations.Add(new Operation(document.Name, method.ToUpperInvariant(), path.Name, authorization ?? "(not stated)", element));
                }
            }
        }

        Assert.NotEmpty(operations);
        return operations;
    }

    /// <summary>The routes of the running gateway, but for the document routes themselves (development only).</summary>
    private List<Route> GatewayRoutes() => platform.Gateway.Services.GetRequiredService<IProxyStateLookup>().GetRoutes()
        .Select(route => route.Config)
        .Where(config => !ServiceDocuments.All.Any(document => config.RouteId == ApiReferenceHosting.RouteId(document)))
        .Select(config => new Route(
            config.RouteId,
            config.Match.Path ?? "",
            config.Match.Methods?.Select(method => method.ToUpperInvariant()).ToList() ?? [],
            string.Equals(config.AuthorizationPolicy, "Anonymous", StringComparison.OrdinalIgnoreCase) ? AuthorizationOperationTransformer.Anonymous : config.AuthorizationPolicy ?? "(none)"))
        .OrderBy(route => route.Id, StringComparer.Ordinal)
        .ToList();

    private sealed record Operation(string Service, string Method, string Path, string Authorization, JsonElement Element)
    {
        public override string ToString() => $"{Method} {Path}";
    }

    private sealed record Route(string Id, string Path, IReadOnlyList<string> Methods, string Authorization)
    {
        private string[] Segments => Path.Trim('/').Split('/');

        private bool IsCatchAll => Segments[^1].StartsWith("{**", StringComparison.Ordinal) || Segments[^1].StartsWith("{*", StringComparison.Ordinal);

        /// <summary>
        /// Whether a documented path (<c>/api/tickets/holds/{holdId}</c>) falls under this route's template
        /// (<c>/api/tickets/holds/{holdId:guid}</c>, <c>/api/catalog/{**rest}</c>): literals equal, a parameter for a
        /// parameter, a catch-all for whatever follows.
        /// </summary>
        public bool Matches(string documentedPath)
        {
            var documented = documentedPath.Trim('/').Split('/');
            var template = Segments;
            for (var i = 0; i < template.Length; i++)
            {
                if (i == template.Length - 1 && IsCatchAll)
                {
                    return documented.Length >= i;
                }

                if (i >= documented.Length)
                {
                    return false;
                }

                var parameter = template[i].StartsWith('{');
                if (parameter != documented[i].StartsWith('{') || (!parameter && !string.Equals(template[i], documented[i], StringComparison.OrdinalIgnoreCase)))
                {
                    return false;
                }
            }

            return documented.Length == template.Length;
        }

        /// <summary>The route the gateway takes for an operation: of those matching it, a specific one before a catch-all (as routing does).</summary>
        public static Route? For(IEnumerable<Route> routes, Operation operation) => routes
            .Where(route => route.Methods.Contains(operation.Method) && route.Matches(operation.Path))
            .OrderBy(route => route.IsCatchAll)
            .FirstOrDefault();
    }
}
