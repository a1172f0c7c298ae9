using Ticketing.Contracts.Tickets;
using Ticketing.ServiceDefaults.Messaging;
using Ticketing.Tickets.Ledger;

namespace Ticketing.Tickets.Holds;

// Orders drives checkout through these commands, one at a time or in batches. Each is idempotent: the ledger says
// what was already done. Answers are published after the ledger batch that decided them committed; if the process
// dies in between, the command is delivered again and answered again from the ledger.

/// <summary>Checkout: the hold becomes the order's (HoldConfirmed) or cannot (HoldRejected).</summary>
public sealed class ConfirmHoldConsumer(SeatLedgers ledgers, ILogger<ConfirmHoldConsumer> logger) : BatchConsumer<ConfirmHold>(logger)
{
    protected override async Task<IReadOnlyList<object>> HandleAsync(ConfirmHold message, CancellationToken cancellationToken)
    {
        if (await ledgers.OfHoldAsync(message.HoldId, cancellationToken) is not { } ledger)
        {
            return [new HoldRejected(message.OrderId, message.HoldId, message.FanId, HoldRejectionReasons.Unknown, DateTimeOffset.UtcNow)];
        }

        return [await ledger.DecideAsync(new CheckOutHold(message), cancellationToken)];
    }
}

/// <summary>The order was paid: its seats are sold and its tickets issued (announced through the outbox).</summary>
public sealed partial class SellHoldConsumer(SeatLedgers ledgers, ILogger<SellHoldConsumer> logger) : BatchConsumer<SellHold>(logger)
{
    protected override async Task<IReadOnlyList<object>> HandleAsync(SellHold message, CancellationToken cancellationToken)
    {
        var outcome = await ledgers.OfHoldAsync(message.HoldId, cancellationToken) is { } ledger
            ? await ledger.DecideAsync(new SellCheckedOutHold(message.HoldId, message.OrderId), cancellationToken)
            : new SaleOutcome.NotSellable(null);
        if (outcome is SaleOutcome.NotSellable notSellable)
        {
            LogCannotSell(logger, message.HoldId, message.OrderId, notSellable.Status?.ToString() ?? "unknown");
        }

        return [];
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Hold {HoldId} cannot be sold to order {OrderId}: it is {Status}")]
    private static partial void LogCannotSell(ILogger logger, Guid holdId, Guid orderId, string status);
}

/// <summary>The order was cancelled or refunded: an unpaid hold's seats go back; a sold one's tickets are voided.</summary>
public sealed class ReturnHoldConsumer(SeatLedgers ledgers, ILogger<ReturnHoldConsumer> logger) : BatchConsumer<ReturnHold>(logger)
{
    protected override async Task<IReadOnlyList<object>> HandleAsync(ReturnHold message, CancellationToken cancellationToken)
    {
        if (await ledgers.OfHoldAsync(message.HoldId, cancellationToken) is { } ledger)
        {
            await ledger.DecideAsync(new CancelHoldOrder(message.HoldId, message.OrderId, message.FanId, message.Reason, message.WasSold), cancellationToken);
        }

        return [];
    }
}
