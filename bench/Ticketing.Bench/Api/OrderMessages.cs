using System.Collections.Concurrent;
using System.Diagnostics;
using MassTransit;
using Ticketing.Bench.Infrastructure;
using Ticketing.Contracts.Messaging;
using Ticketing.Contracts.Orders;
using Ticketing.Contracts.Tickets;

namespace Ticketing.Bench.Api;

/// <summary>An order's final message as the benchmark received it (<see cref="Stopwatch"/> timestamp).</summary>
public sealed record OrderFinal(long ReceivedAt, bool Confirmed, string? Reason, string FanId);

/// <summary>The tickets issued for an order, as the benchmark received them.</summary>
public sealed record IssuedTickets(long ReceivedAt, IReadOnlyList<string> SeatIds);

/// <summary>
/// The outcome of orders as the platform publishes it: every <c>OrderConfirmed</c>, <c>OrderCancelled</c> and
/// <c>TicketsIssued</c> reaching a temporary queue of the benchmark's own bus, by order id, whatever order they
/// name (a final message can come before the checkout's 202 is read); each benchmark picks its own orders.
/// </summary>
public sealed class OrderMessages : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<Guid, ConcurrentQueue<OrderFinal>> finals = new();
    private readonly ConcurrentDictionary<Guid, ConcurrentQueue<IssuedTickets>> tickets = new();
    private IBusControl? bus;
    private int ticketCount;
    private long lastTicketsAt;

    /// <summary>Tickets issued so far (one per seat).</summary>
    public int TicketCount => Volatile.Read(ref ticketCount);

    /// <summary>When the last <c>TicketsIssued</c> arrived (<see cref="Stopwatch"/> timestamp; 0 before one did).</summary>
    public long LastTicketsAt => Interlocked.Read(ref lastTicketsAt);

    public IBus Bus => bus ?? throw new InvalidOperationException("Not started.");

    public static async Task<OrderMessages> StartAsync(Servers servers, CancellationToken cancellationToken)
    {
        var messages = new OrderMessages();
        messages.bus = servers.CreateBus(rabbit => rabbit.ReceiveEndpoint($"bench-orders-{Guid.NewGuid():N}", endpoint =>
        {
            endpoint.AutoDelete = true;
            endpoint.Durable = false;
            endpoint.PrefetchCount = 256;
            // The handlers only record: one at a time keeps MassTransit's dispatch loops from waking a thread per message.
            endpoint.ConcurrentMessageLimit = 1;
            // A relay sends several messages of one type as one MessageBatch<T>, a single one alone.
            endpoint.Handler<OrderConfirmed>(context => messages.Confirmed([context.Message]));
            endpoint.Handler<MessageBatch<OrderConfirmed>>(context => messages.Confirmed(context.Message.Messages));
            endpoint.Handler<OrderCancelled>(context => messages.Cancelled([context.Message]));
            endpoint.Handler<MessageBatch<OrderCancelled>>(context => messages.Cancelled(context.Message.Messages));
            endpoint.Handler<TicketsIssued>(context => messages.Issued([context.Message]));
            endpoint.Handler<MessageBatch<TicketsIssued>>(context => messages.Issued(context.Message.Messages));
        }));
        using var starting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        starting.CancelAfter(StartTimeout);
        await messages.bus.StartAsync(starting.Token);
        return messages;
    }

    public IReadOnlyList<OrderFinal> FinalsOf(Guid orderId) => finals.TryGetValue(orderId, out var list) ? list.ToList() : [];

    public IReadOnlyList<IssuedTickets> TicketsOf(Guid orderId) => tickets.TryGetValue(orderId, out var list) ? list.ToList() : [];

    public async ValueTask DisposeAsync()
    {
        if (bus is not null)
        {
            using var stopping = new CancellationTokenSource(StartTimeout);
            await bus.StopAsync(stopping.Token);
        }
    }

    private static long Now => Stopwatch.GetTimestamp();

    private Task Confirmed(IReadOnlyList<OrderConfirmed> confirmed)
    {
        var at = Now;
        foreach (var message in confirmed)
        {
            finals.GetOrAdd(message.OrderId, _ => new()).Enqueue(new OrderFinal(at, true, null, message.FanId));
        }

        return Task.CompletedTask;
    }

    private Task Cancelled(IReadOnlyList<OrderCancelled> cancelled)
    {
        var at = Now;
        foreach (var message in cancelled)
        {
            finals.GetOrAdd(message.OrderId, _ => new()).Enqueue(new OrderFinal(at, false, message.Reason, message.FanId));
        }

        return Task.CompletedTask;
    }

    private Task Issued(IReadOnlyList<TicketsIssued> issued)
    {
        var at = Now;
        foreach (var message in issued)
        {
            tickets.GetOrAdd(message.OrderId, _ => new()).Enqueue(new IssuedTickets(at, message.Tickets.Select(ticket => ticket.SeatId).ToList()));
            Interlocked.Add(ref ticketCount, message.Tickets.Count);
        }

        Interlocked.Exchange(ref lastTicketsAt, at);
        return Task.CompletedTask;
    }
}
