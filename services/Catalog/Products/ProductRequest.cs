using Ticketing.Catalog.Shared;

namespace Ticketing.Catalog.Products;

public sealed record ProductRequest(
    string? Sku,
    string? Name,
    string? Artist,
    string? Description,
    decimal? Price,
    string? Currency,
    int? Stock,
    int? LimitPerFan,
    DateTimeOffset? ReleaseAt,
    WaitingRoomRequest? WaitingRoom = null,
    ProductNamesRequest? Names = null,
    IReadOnlyList<VariantRequest?>? Variants = null,
    string? LimitScope = null,
    InclusionPoolRequest? Inclusion = null,
    IReadOnlyList<BundlePartRequest?>? Components = null,
    bool? SoldByLuckyDraw = null);

/// <summary>Optional names in other languages: each a map of BCP 47 tag to name.</summary>
public sealed record ProductNamesRequest(IReadOnlyDictionary<string, string?>? Artist, IReadOnlyDictionary<string, string?>? Name);

/// <summary>A variant: <c>code</c> is what orders name (<c>A</c>, <c>DIGIPACK</c>, <c>M</c>), <c>sku</c> its own SKU.</summary>
public sealed record VariantRequest(string? Code, string? Sku, string? Name, int? Stock);

/// <summary>A pool of random inclusions, e.g. <c>{ name: "Photocard", items: [{ code: "MINA", name: "Mina", count: 1000 }, ...] }</c>.</summary>
public sealed record InclusionPoolRequest(string? Name, IReadOnlyList<InclusionItemRequest?>? Items);

public sealed record InclusionItemRequest(string? Code, string? Name, int? Count);

/// <summary>One part of a bundle: units of another product (of one of its variants, when it has variants).</summary>
public sealed record BundlePartRequest(Guid? ProductId, string? Variant, int? Quantity);

public sealed record RestockRequest(int? Quantity, string? Variant = null);

public static class ProductValidation
{
    public const int MaxStock = 10_000_000;
    public const int MaxLimitPerFan = 100;
    public const int MaxVariants = 20;
    public const int MaxInclusionItems = 100;
    public const int MaxBundleParts = 10;

    public static (ProductListed? Listed, ValidationErrors Errors) Validate(ProductRequest? request, Guid productId, DateTimeOffset now)
    {
        var errors = new ValidationErrors();
        if (request is null)
        {
            errors.Add("body", "A product is required.");
            return (null, errors);
        }

        var sku = request.Sku?.Trim().ToUpperInvariant();
        if (sku is not { Length: >= 3 and <= 40 } || !sku.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'))
        {
            errors.Add("sku", "Use 3 to 40 letters, digits or dashes.");
        }

        errors.Required("name", request.Name);
        errors.Required("artist", request.Artist);
        if (request.Description is { Length: > 2000 })
        {
            errors.Add("description", "At most 2,000 characters.");
        }

        var currency = request.Currency?.Trim().ToUpperInvariant();
        if (Money.CurrencyProblem(currency) is { } currencyProblem)
        {
            errors.Add("currency", currencyProblem);
        }

        if (request.Price is not { } price)
        {
            errors.Add("price", "Required.");
        }
        else if (Money.Problem(price, currency) is { } priceProblem)
        {
            errors.Add("price", priceProblem);
        }

        var variants = ValidateVariants(request.Variants, sku, errors);
        if (request.Stock is not { } stock)
        {
            if (variants.Count == 0)
            {
                errors.Add("stock", "Required.");
            }
        }
        else if (variants.Count > 0 && stock != variants.Sum(variant => (long)variant.Stock))
        {
            errors.Add("stock", "Leave it out for a product with variants: its stock is theirs.");
        }
        else
        {
            errors.Range("stock", stock, 0, MaxStock);
        }

        var totalStock = variants.Count > 0 ? variants.Sum(variant => (long)variant.Stock) : request.Stock ?? 0;
        if (totalStock > MaxStock)
        {
            errors.Add("variants", $"Together at most {MaxStock:N0} units.");
        }

        var scope = request.LimitScope?.Trim().ToLowerInvariant() switch
        {
            null or "product" => LimitScope.Product,
            "variant" when variants.Count > 0 => LimitScope.Variant,
            "variant" => (LimitScope?)null,
            _ => null,
        };
        if (scope is null)
        {
            errors.Add("limitScope", request.LimitScope?.Trim().ToLowerInvariant() == "variant"
                ? "Only a product with variants can limit per variant."
                : "Use product (the limit counts every variant together) or variant (each variant on its own).");
        }

        var inclusion = ValidateInclusion(request.Inclusion, totalStock, errors);
        var components = ValidateComponentsShape(request.Components, errors);
        if (components.Count > 0 && (variants.Count > 0 || inclusion is not null))
        {
            errors.Add("components", "A bundle has no variants or random inclusions of its own: its parts do.");
        }

        if (request.LimitPerFan is not { } limit)
        {
            errors.Add("limitPerFan", "Required.");
        }
        else
        {
            errors.Range("limitPerFan", limit, 1, MaxLimitPerFan);
        }

        if (request.WaitingRoom is not null && request.ReleaseAt is null)
        {
            errors.Add("releaseAt", "Required with a waiting room: the queue's draw happens when the product is released.");
        }

        var waitingRoom = WaitingRoomValidation.Validate(request.WaitingRoom, request.ReleaseAt, errors);
        var names = request.Names is null ? null : new ProductNames(
            LocalizedNames.Validate("names.artist", request.Names.Artist, errors),
            LocalizedNames.Validate("names.name", request.Names.Name, errors));
        if (!errors.IsEmpty)
        {
            return (null, errors);
        }

        return (new ProductListed(
            productId,
            sku!,
            request.Name!.Trim(),
            request.Artist!.Trim(),
            string.IsNullOrWhiteSpace(request.Description) ? null : request.Description.Trim(),
            request.Price!.Value,
            currency!,
            (int)totalStock,
            request.LimitPerFan!.Value,
            request.ReleaseAt?.ToUniversalTime(),
            now,
            waitingRoom,
            names is { Artist: null, Name: null } ? null : names,
            variants.Count > 0 ? variants : null,
            scope!.Value,
            inclusion,
            components.Count > 0 ? components : null,
            request.SoldByLuckyDraw ?? false), errors);
    }

    /// <summary>The parts of a bundle checked against the products they name (loaded by the endpoint).</summary>
    public static void ValidateComponents(IReadOnlyList<BundlePart> parts, IReadOnlyDictionary<Guid, Product> products, ValidationErrors errors)
    {
        for (var i = 0; i < parts.Count; i++)
        {
            var part = parts[i];
            if (!products.TryGetValue(part.ProductId, out var product))
            {
                errors.Add($"components[{i}].productId", "No such product.");
            }
            else if (product.IsBundle)
            {
                errors.Add($"components[{i}].productId", "A bundle cannot contain another bundle.");
            }
            else if (product.Variants.Count > 0 && part.Variant is null)
            {
                errors.Add($"components[{i}].variant", $"Required: the product has variants ({string.Join(", ", product.Variants.Select(variant => variant.Code))}).");
            }
            else if (part.Variant is not null && product.VariantNamed(part.Variant) is null)
            {
                errors.Add($"components[{i}].variant", "The product has no such variant.");
            }
        }
    }

    private static List<VariantListed> ValidateVariants(IReadOnlyList<VariantRequest?>? requested, string? productSku, ValidationErrors errors)
    {
        var variants = new List<VariantListed>();
        if (requested is null)
        {
            return variants;
        }

        if (requested.Count > MaxVariants)
        {
            errors.Add("variants", $"At most {MaxVariants} variants.");
            return variants;
        }

        for (var i = 0; i < requested.Count; i++)
        {
            var field = $"variants[{i}]";
            if (requested[i] is not { } variant)
            {
                errors.Add(field, "Required.");
                continue;
            }

            var code = variant.Code?.Trim().ToUpperInvariant();
            var sku = variant.Sku?.Trim().ToUpperInvariant();
            var before = errors.Count;
            if (!IsCode(code))
            {
                errors.Add($"{field}.code", "Use 1 to 20 letters, digits or dashes.");
            }
            else if (variants.Any(other => other.Code == code))
            {
                errors.Add($"{field}.code", "Listed twice.");
            }

            if (sku is not { Length: >= 3 and <= 40 } || !sku.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'))
            {
                errors.Add($"{field}.sku", "Use 3 to 40 letters, digits or dashes.");
            }
            else if (sku == productSku || variants.Any(other => other.Sku == sku))
            {
                errors.Add($"{field}.sku", "Each variant needs its own SKU.");
            }

            errors.Required($"{field}.name", variant.Name, 100);
            if (variant.Stock is not { } stock)
            {
                errors.Add($"{field}.stock", "Required.");
            }
            else
            {
                errors.Range($"{field}.stock", stock, 0, MaxStock);
            }

            if (errors.Count == before)
            {
                variants.Add(new VariantListed(code!, sku!, variant.Name!.Trim(), variant.Stock!.Value));
            }
        }

        return variants;
    }

    private static InclusionPool? ValidateInclusion(InclusionPoolRequest? requested, long totalStock, ValidationErrors errors)
    {
        if (requested is null)
        {
            return null;
        }

        errors.Required("inclusion.name", requested.Name, 60);
        if (requested.Items is not { Count: > 0 and <= MaxInclusionItems } requestedItems)
        {
            errors.Add("inclusion.items", $"Between 1 and {MaxInclusionItems} items.");
            return null;
        }

        var items = new List<InclusionItem>();
        for (var i = 0; i < requestedItems.Count; i++)
        {
            var field = $"inclusion.items[{i}]";
            if (requestedItems[i] is not { } item)
            {
                errors.Add(field, "Required.");
                continue;
            }

            var code = item.Code?.Trim().ToUpperInvariant();
            var before = errors.Count;
            if (!IsCode(code))
            {
                errors.Add($"{field}.code", "Use 1 to 20 letters, digits or dashes.");
            }
            else if (items.Any(other => other.Code == code))
            {
                errors.Add($"{field}.code", "Listed twice.");
            }

            errors.Required($"{field}.name", item.Name, 100);
            if (item.Count is not { } count)
            {
                errors.Add($"{field}.count", "Required.");
            }
            else
            {
                errors.Range($"{field}.count", count, 1, MaxStock);
            }

            if (errors.Count == before)
            {
                items.Add(new InclusionItem(code!, item.Name!.Trim(), item.Count!.Value));
            }
        }

        var pool = new InclusionPool(requested.Name?.Trim() ?? "", items);
        if (items.Count == requestedItems.Count && pool.Total < totalStock)
        {
            errors.Add("inclusion.items", $"The pool holds {pool.Total:N0} items for {totalStock:N0} units: every unit needs one.");
        }

        return pool;
    }

    private static List<BundlePart> ValidateComponentsShape(IReadOnlyList<BundlePartRequest?>? requested, ValidationErrors errors)
    {
        var parts = new List<BundlePart>();
        if (requested is null)
        {
            return parts;
        }

        if (requested.Count is < 2 or > MaxBundleParts)
        {
            errors.Add("components", $"A bundle has 2 to {MaxBundleParts} parts.");
            return parts;
        }

        for (var i = 0; i < requested.Count; i++)
        {
            var field = $"components[{i}]";
            if (requested[i] is not { } part || part.ProductId is not { } productId || productId == Guid.Empty)
            {
                errors.Add($"{field}.productId", "Required.");
                continue;
            }

            var variant = string.IsNullOrWhiteSpace(part.Variant) ? null : part.Variant.Trim().ToUpperInvariant();
            if (part.Quantity is not { } quantity || quantity is < 1 or > 10)
            {
                errors.Add($"{field}.quantity", "Must be between 1 and 10.");
            }
            else if (parts.Any(other => other.ProductId == productId && other.Variant == variant))
            {
                errors.Add($"{field}.productId", "Listed twice; put the quantity on one part.");
            }
            else
            {
                parts.Add(new BundlePart(productId, variant, quantity));
            }
        }

        return parts;
    }

    private static bool IsCode(string? code) => code is { Length: >= 1 and <= 20 } && code.All(c => char.IsAsciiLetterOrDigit(c) || c == '-');

    public static ValidationErrors ValidateRestock(RestockRequest? request, Product product)
    {
        var errors = new ValidationErrors();
        var variant = string.IsNullOrWhiteSpace(request?.Variant) ? null : request.Variant.Trim().ToUpperInvariant();
        if (product.Variants.Count > 0 && variant is null)
        {
            errors.Add("variant", $"Required: name the variant to restock ({string.Join(", ", product.Variants.Select(v => v.Code))}).");
        }
        else if (variant is not null && product.VariantNamed(variant) is null)
        {
            errors.Add("variant", "The product has no such variant.");
        }

        if (request?.Quantity is { } more && product.Inclusions.Count > 0 && (long)product.Stock + more > product.Inclusions.Sum(item => (long)item.Count))
        {
            errors.Add("quantity", $"The random-inclusion pool holds {product.Inclusions.Sum(item => item.Count):N0} items: stock cannot exceed it.");
        }

        if (request?.Quantity is not { } quantity)
        {
            errors.Add("quantity", "Required.");
        }
        else if (quantity < 1 || quantity > MaxStock)
        {
            errors.Add("quantity", $"Must be between 1 and {MaxStock:N0}.");
        }
        else if ((long)product.Stock + quantity > MaxStock)
        {
            errors.Add("quantity", $"Stock would exceed {MaxStock:N0} units.");
        }

        return errors;
    }
}
