using JasperFx.Events;
using Marten.Events.Projections;
using Ticketing.Contracts.Orders;

namespace Ticketing.Insights.Overview;

/// <summary>Orders and payments across the platform, with a minute-by-minute series.</summary>
public sealed class SalesOverview
{
    public const string OnlyId = "sales";

    public string Id { get; set; } = OnlyId;
    public int OrdersPlaced { get; set; }
    public int OrdersConfirmed { get; set; }
    public int OrdersCancelled { get; set; }
    public int OrdersRefunded { get; set; }

    /// <summary>Cancelled orders (refunds included) by reason, e.g. <c>payment_declined</c>, <c>out_of_stock</c>, <c>refunded</c>.</summary>
    public Dictionary<string, int> CancelledByReason { get; set; } = [];

    /// <summary>Per UTC minute (<c>yyyy-MM-ddTHH:mmZ</c>), for the last day before the newest event.</summary>
    public SortedDictionary<string, MinuteSales> Minutes { get; set; } = new(StringComparer.Ordinal);

    public int PaymentsDeclined => CancelledByReason.GetValueOrDefault(OrderCancellationReasons.PaymentDeclined);

    /// <summary>Declined payments of all payments that were tried (confirmed orders, refunded ones too, plus declines).</summary>
    public double PaymentDeclineRate => OrdersConfirmed + PaymentsDeclined == 0 ? 0 : (double)PaymentsDeclined / (OrdersConfirmed + PaymentsDeclined);

    public static string MinuteKey(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm'Z'", System.Globalization.CultureInfo.InvariantCulture);

    public MinuteSales Minute(DateTimeOffset at)
    {
        var key = MinuteKey(at);
        if (!Minutes.TryGetValue(key, out var minute))
        {
            Minutes[key] = minute = new MinuteSales();
        }

        return minute;
    }
}

public sealed class MinuteSales
{
    public int Placed { get; set; }
    public int Confirmed { get; set; }
    public int Cancelled { get; set; }

    /// <summary>Paid by confirmed orders in that minute, by currency (refunds are not taken off here).</summary>
    public Dictionary<string, decimal> Revenue { get; set; } = [];
}

/// <summary>One document for the whole platform, fed by every order's placed, confirmed and cancelled messages.</summary>
public sealed class SalesOverviewProjection : MultiStreamProjection<SalesOverview, string>
{
    private static readonly TimeSpan Kept = TimeSpan.FromDays(1);

    public SalesOverviewProjection()
    {
        Identity<OrderPlaced>(_ => SalesOverview.OnlyId);
        Identity<OrderConfirmed>(_ => SalesOverview.OnlyId);
        Identity<OrderCancelled>(_ => SalesOverview.OnlyId);
    }

    public override SalesOverview Evolve(SalesOverview? snapshot, string id, IEvent e)
    {
        var overview = snapshot ?? new SalesOverview { Id = id };
        switch (e.Data)
        {
            case OrderPlaced placed:
                overview.OrdersPlaced++;
                overview.Minute(placed.PlacedAt).Placed++;
                Trim(overview, placed.PlacedAt);
                break;
            case OrderConfirmed confirmed:
                overview.OrdersConfirmed++;
                var minute = overview.Minute(confirmed.ConfirmedAt);
                minute.Confirmed++;
                if (confirmed.Currency.Length > 0)
                {
                    minute.Revenue[confirmed.Currency] = minute.Revenue.GetValueOrDefault(confirmed.Currency) + confirmed.Total;
                }

                Trim(overview, confirmed.ConfirmedAt);
                break;
            case OrderCancelled cancelled:
                if (cancelled.WasConfirmed)
                {
                    overview.OrdersRefunded++;
                }
                else
                {
                    overview.OrdersCancelled++;
                    overview.Minute(cancelled.CancelledAt).Cancelled++;
                }

                overview.CancelledByReason[cancelled.Reason] = overview.CancelledByReason.GetValueOrDefault(cancelled.Reason) + 1;
                Trim(overview, cancelled.CancelledAt);
                break;
        }

        return overview;
    }

    /// <summary>Drops minutes a day older than the newest event (a function of the events alone, so rebuilds agree).</summary>
    private static void Trim(SalesOverview overview, DateTimeOffset newest)
    {
        var oldestKept = SalesOverview.MinuteKey(newest - Kept);
        while (overview.Minutes.Count > 0 && string.CompareOrdinal(overview.Minutes.Keys.First(), oldestKept) < 0)
        {
            overview.Minutes.Remove(overview.Minutes.Keys.First());
        }
    }
}
