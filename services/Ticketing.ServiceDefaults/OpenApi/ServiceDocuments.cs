namespace Ticketing.ServiceDefaults.OpenApi;

/// <summary>One service's OpenAPI document: its name (also its gateway cluster's), title and what it covers.</summary>
public sealed record ServiceDocument(string Name, string Title, string Description)
{
    /// <summary>Where the service serves the document, and where the gateway serves it in development.</summary>
    public string Path => $"/openapi/{Name}.json";
}

/// <summary>The documents of the platform's services; the gateway lists them in its API reference.</summary>
public static class ServiceDocuments
{
    public static readonly ServiceDocument Catalog = new("catalog", "Catalog",
        "Concerts (seat maps, price tiers, sale windows) and merch with its stock. Anyone reads what is published; operators draft, publish, cancel and restock.");

    public static readonly ServiceDocument Orders = new("orders", "Orders",
        "Checkout of a seat hold and merch with an Idempotency-Key; the order's status from Pending to Confirmed or Cancelled; operators cancel and refund.");

    public static readonly ServiceDocument Tickets = new("tickets", "Tickets",
        "Seat layout, live seat state and availability (anonymous), holds on seats (fans), tickets with signed codes and check-in at the gate (operators).");

    public static readonly ServiceDocument Insights = new("insights", "Insights",
        "Live sales for operators: the overview, one concert or product, and the overview as Server-Sent Events.");

    public static readonly ServiceDocument Queue = new("queue", "Queue",
        "Drop waiting rooms: fans join and follow their place; anyone checks the draw; operators pause, resume, change the rate and set up presales.");

    public static readonly IReadOnlyList<ServiceDocument> All = [Catalog, Orders, Tickets, Insights, Queue];
}
