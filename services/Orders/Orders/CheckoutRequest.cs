using System.Security.Cryptography;
using System.Text;
using Ticketing.Orders.Products;

namespace Ticketing.Orders.Orders;

public sealed record CheckoutRequest(Guid? HoldId, IReadOnlyList<CheckoutItem?>? Items, PaymentDetails? Payment);

/// <summary>A line: the product, the variant's code for a product with variants (album version, size), and how many.</summary>
public sealed record CheckoutItem(Guid? ProductId, int? Quantity, string? Variant = null);

public sealed record PaymentDetails(string? CardNumber);

/// <summary>A checkout that passed validation; the card number lives only in this object, for tokenizing.</summary>
public sealed record ValidCheckout(Guid? HoldId, IReadOnlyList<OrderItem> Items, string CardNumber)
{
    public string CardLast4 => CardNumber[^4..];

    /// <summary>
    /// Fingerprint of the request for the idempotency check: the hold, the items, and the card's last four
    /// digits and length (never the number).
    /// </summary>
    public string Fingerprint()
    {
        var canonical = $"{HoldId}|{string.Join(",", Items.OrderBy(item => item.ProductId).ThenBy(item => item.Variant, StringComparer.Ordinal).Select(item => $"{item.ProductId:N}{(item.Variant is null ? "" : ":" + item.Variant)}x{item.Quantity}"))}|{CardLast4}/{CardNumber.Length}";
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
    }
}

public static class CheckoutValidation
{
    public const int MaxItems = 20;

    public static (ValidCheckout? Checkout, Dictionary<string, string[]> Errors) Validate(
        CheckoutRequest? request, IReadOnlyDictionary<Guid, PriceBookEntry> products)
    {
        var errors = new Dictionary<string, string[]>();
        if (request is null)
        {
            errors["body"] = ["Send a hold, items, or both, and a payment."];
            return (null, errors);
        }

        var items = new List<OrderItem>();
        if (request.Items is { } requested)
        {
            if (requested.Count > MaxItems)
            {
                errors["items"] = [$"At most {MaxItems} lines."];
            }

            for (var i = 0; i < requested.Count && requested.Count <= MaxItems; i++)
            {
                var field = $"items[{i}]";
                if (requested[i] is not { } item || item.ProductId is not { } productId)
                {
                    errors[$"{field}.productId"] = ["Required."];
                    continue;
                }

                var variant = string.IsNullOrWhiteSpace(item.Variant) ? null : item.Variant.Trim().ToUpperInvariant();
                if (!products.TryGetValue(productId, out var product))
                {
                    errors[$"{field}.productId"] = ["No such product."];
                }
                else if (product.Variants.Count > 0 && variant is null)
                {
                    errors[$"{field}.variant"] = [$"Choose a version: {string.Join(", ", product.Variants)}."];
                }
                else if (variant is not null && !product.Variants.Contains(variant))
                {
                    errors[$"{field}.variant"] = [product.Variants.Count == 0 ? "This product has no versions." : $"No such version; choose {string.Join(", ", product.Variants)}."];
                }
                else if (item.Quantity is not { } quantity || quantity < 1)
                {
                    errors[$"{field}.quantity"] = ["At least 1."];
                }
                else if (quantity > product.LimitPerFan)
                {
                    errors[$"{field}.quantity"] = [$"At most {product.LimitPerFan} per fan."];
                }
                else if (items.Any(existing => existing.ProductId == productId && existing.Variant == variant))
                {
                    errors[$"{field}.productId"] = ["Listed twice; put the quantity on one line."];
                }
                else
                {
                    items.Add(new OrderItem(productId, quantity, variant));
                }
            }
        }

        if (request.HoldId is null && (request.Items is null || request.Items.Count == 0))
        {
            errors["body"] = ["An order needs a seat hold, items, or both."];
        }
        else if (request.HoldId == Guid.Empty)
        {
            errors["holdId"] = ["Not a hold id."];
        }

        var card = new string((request.Payment?.CardNumber ?? "").Where(c => c is not (' ' or '-')).ToArray());
        if (request.Payment?.CardNumber is null)
        {
            errors["payment.cardNumber"] = ["Required."];
        }
        else if (card.Length is < 12 or > 19 || !card.All(char.IsAsciiDigit) || !PassesLuhn(card))
        {
            errors["payment.cardNumber"] = ["Not a valid card number."];
        }

        return errors.Count > 0 ? (null, errors) : (new ValidCheckout(request.HoldId, items, card), errors);
    }

    /// <summary>The Luhn check digit test every card number passes.</summary>
    public static bool PassesLuhn(string digits)
    {
        var sum = 0;
        for (var i = 0; i < digits.Length; i++)
        {
            var digit = digits[digits.Length - 1 - i] - '0';
            if (i % 2 == 1)
            {
                digit *= 2;
                if (digit > 9)
                {
                    digit -= 9;
                }
            }

            sum += digit;
        }

        return sum % 10 == 0;
    }
}

/// <summary>One fan's Idempotency-Key: the order it created and the fingerprint of the request that did.</summary>
public sealed record CheckoutKey(string Id, Guid OrderId, string Fingerprint)
{
    public static string IdFor(string fanId, string key) => $"{fanId}/{key}";
}
