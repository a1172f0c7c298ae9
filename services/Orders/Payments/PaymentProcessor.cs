namespace Ticketing.Orders.Payments;

/// <summary>Outcome of an authorization: approved with the processor's id, or declined with its code.</summary>
public sealed record AuthorizationResult(bool Approved, string? AuthorizationId, string? DeclineCode);

/// <summary>A card processor. Every call that moves money is idempotent on <c>paymentKey</c> (the order id).</summary>
public interface IPaymentProcessor
{
    /// <summary>Exchanges a card number for a token, so that the number is never stored here.</summary>
    Task<string> TokenizeAsync(string cardNumber, CancellationToken cancellationToken);

    /// <summary>Authorizes once per key: a retry returns the first result and never charges twice.</summary>
    Task<AuthorizationResult> AuthorizeAsync(Guid paymentKey, string token, decimal amount, string currency, CancellationToken cancellationToken);

    /// <summary>Releases an authorization that will not be captured (the order was cancelled). No-op when none.</summary>
    Task VoidAsync(Guid paymentKey, CancellationToken cancellationToken);

    /// <summary>Gives the money of an authorized payment back. Idempotent.</summary>
    Task RefundAsync(Guid paymentKey, CancellationToken cancellationToken);
}
