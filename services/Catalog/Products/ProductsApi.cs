using Marten;
using Marten.Pagination;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;
using Ticketing.Catalog.Shared;
using Ticketing.ServiceDefaults.Http;
using Ticketing.ServiceDefaults.OpenApi;
using Ticketing.ServiceDefaults.Security;

namespace Ticketing.Catalog.Products;

public static class ProductsApi
{
    /// <summary>Stock moves during a drop: what a product shows may be a second old (the stock ledger decides on its own state).</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(1);

    public static RouteGroupBuilder MapProducts(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/catalog/products").WithTags("Products");

        group.MapGet("/", ListProducts).WithName(nameof(ListProducts)).WithSummary("Merch, filter by artist.");
        group.MapGet("/{id:guid}", GetProduct).WithName(nameof(GetProduct)).WithSummary("A product with its available stock.")
            .ProducesProblemWhen(StatusCodes.Status404NotFound, "No such product.");

        // Anyone may read the catalog; only operators write it.
        var writes = group.MapGroup("/").RequireAuthorization(Policies.Operator);
        writes.MapPost("/", CreateProduct).WithName(nameof(CreateProduct)).WithSummary("List a product with its initial stock.")
            .ProducesProblemWhen(StatusCodes.Status409Conflict, "A product with this SKU is already listed.");
        writes.MapPost("/{id:guid}/restock", RestockProduct).WithName(nameof(RestockProduct)).WithSummary("Add stock.")
            .ProducesProblemWhen(StatusCodes.Status404NotFound, "No such product.");
        return group;
    }

    public static async Task<Results<CacheableJson<PagedResponse<ProductResponse>>, ValidationProblem>> ListProducts(
        IQuerySession session,
        TimeProvider time,
        string? artist,
        int? page,
        int? pageSize,
        CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        Paging.Validate(errors, page, pageSize);
        if (!errors.IsEmpty)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        IQueryable<Product> query = session.Query<Product>();
        if (!string.IsNullOrWhiteSpace(artist))
        {
            var wanted = artist.Trim();
            query = query.Where(product => product.Artist.Equals(wanted, StringComparison.OrdinalIgnoreCase));
        }

        var pageNumber = page ?? 1;
        var size = pageSize ?? Paging.DefaultPageSize;
        var products = await query
            .OrderBy(product => product.Artist)
            .ThenBy(product => product.Name)
            .ThenBy(product => product.Id)
            .ToPagedListAsync(pageNumber, size, cancellationToken);
        var now = time.GetUtcNow();
        var parts = await PartsOfAsync(session, products, cancellationToken);
        return CacheableJson.Public(new PagedResponse<ProductResponse>(
            products.Select(product => ProductResponse.From(product, now, parts)).ToList(), pageNumber, size, products.TotalItemCount), MaxAge);
    }

    public static async Task<Results<CacheableJson<ProductResponse>, ProblemHttpResult>> GetProduct(
        Guid id, IQuerySession session, TimeProvider time, CancellationToken cancellationToken)
    {
        var product = id == Guid.Empty ? null : await session.LoadAsync<Product>(id, cancellationToken);
        return product is null
            ? NotFound(id)
            : CacheableJson.Public(ProductResponse.From(product, time.GetUtcNow(), await PartsOfAsync(session, [product], cancellationToken)), MaxAge);
    }

    /// <summary>The parts of the bundles among <paramref name="products"/>, by id (one read, none when there is no bundle).</summary>
    private static async Task<IReadOnlyDictionary<Guid, Product>> PartsOfAsync(IQuerySession session, IEnumerable<Product> products, CancellationToken cancellationToken)
    {
        var ids = products.SelectMany(product => product.Components).Select(part => part.ProductId).Distinct().ToArray();
        return ids.Length == 0
            ? new Dictionary<Guid, Product>()
            : (await session.LoadManyAsync<Product>(cancellationToken, ids)).ToDictionary(part => part.Id);
    }

    public static async Task<Results<Created<ProductResponse>, ValidationProblem, ProblemHttpResult>> CreateProduct(
        ProductRequest? request, IDocumentSession session, TimeProvider time, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var (listed, errors) = ProductValidation.Validate(request, Guid.CreateVersion7(), now);
        if (listed is null)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        if (listed.Components is { Count: > 0 } parts)
        {
            var partProducts = (await session.LoadManyAsync<Product>(cancellationToken, parts.Select(part => part.ProductId).Distinct().ToArray()))
                .ToDictionary(product => product.Id);
            ProductValidation.ValidateComponents(parts, partProducts, errors);
            if (!errors.IsEmpty)
            {
                return TypedResults.ValidationProblem(errors.ToDictionary());
            }
        }

        if (await session.Query<Product>().AnyAsync(product => product.Sku == listed.Sku, cancellationToken))
        {
            return SkuTaken(listed.Sku);
        }

        session.Events.StartStream<Product>(listed.ProductId, listed);
        try
        {
            await session.SaveChangesAsync(cancellationToken);
        }
        catch (Exception exception) when (IsUniqueViolation(exception))
        {
            return SkuTaken(listed.Sku); // another operator listed the same SKU in the same instant
        }

        var product = Product.Create(listed) with { Version = 1 };
        return TypedResults.Created($"/api/catalog/products/{product.Id}", ProductResponse.From(product, now));
    }

    public static async Task<Results<Ok<ProductResponse>, ValidationProblem, ProblemHttpResult>> RestockProduct(
        Guid id, RestockRequest? request, IDocumentSession session, TimeProvider time, CancellationToken cancellationToken)
    {
        // Marten refuses a stream id of all zeros; no product has it.
        if (id == Guid.Empty)
        {
            return NotFound(id);
        }

        // Exclusive: a restock waits for in-flight reservations of the product instead of failing on their version.
        var stream = await session.Events.FetchForExclusiveWriting<Product>(id, cancellationToken);
        if (stream.Aggregate is not { } product)
        {
            return NotFound(id);
        }

        var errors = ProductValidation.ValidateRestock(request, product);
        if (!errors.IsEmpty)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        var now = time.GetUtcNow();
        var variant = string.IsNullOrWhiteSpace(request!.Variant) ? null : request.Variant.Trim().ToUpperInvariant();
        var restocked = new ProductRestocked(id, request.Quantity!.Value, product.Stock + request.Quantity.Value, now, variant);
        stream.AppendOne(restocked);
        await session.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(ProductResponse.From(product.Apply(restocked) with { Version = product.Version + 1 }, now));
    }

    private static ProblemHttpResult SkuTaken(string sku) => TypedResults.Problem(title: "SKU already listed", detail: $"A product with SKU {sku} already exists.", statusCode: StatusCodes.Status409Conflict);

    private static bool IsUniqueViolation(Exception exception) => exception switch
    {
        PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } => true,
        { InnerException: { } inner } => IsUniqueViolation(inner),
        _ => false,
    };

    private static ProblemHttpResult NotFound(Guid id) => TypedResults.Problem(title: "Product not found", detail: $"There is no product {id}.", statusCode: StatusCodes.Status404NotFound);
}
