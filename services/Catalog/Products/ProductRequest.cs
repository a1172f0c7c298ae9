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
    ProductNamesRequest? Names = null);

/// <summary>Optional names in other languages: each a map of BCP 47 tag to name.</summary>
public sealed record ProductNamesRequest(IReadOnlyDictionary<string, string?>? Artist, IReadOnlyDictionary<string, string?>? Name);

public sealed record RestockRequest(int? Quantity);

public static class ProductValidation
{
    public const int MaxStock = 10_000_000;
    public const int MaxLimitPerFan = 100;

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

        if (request.Stock is not { } stock)
        {
            errors.Add("stock", "Required.");
        }
        else
        {
            errors.Range("stock", stock, 0, MaxStock);
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
            request.Stock!.Value,
            request.LimitPerFan!.Value,
            request.ReleaseAt?.ToUniversalTime(),
            now,
            waitingRoom,
            names is { Artist: null, Name: null } ? null : names), errors);
    }

    public static ValidationErrors ValidateRestock(RestockRequest? request, Product product)
    {
        var errors = new ValidationErrors();
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
