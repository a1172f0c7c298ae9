using MassTransit;
using Ticketing.Contracts.Messaging;

namespace Ticketing.Platform.Tests;

/// <summary>
/// The outbox relay sends a page's messages of one type as one <see cref="MessageBatch{T}"/>, so a consumer that takes
/// an integration message only alone would silently miss it whenever a second one shares its page.
/// </summary>
public sealed class Consumers_take_batches
{
    [Fact]
    public void Every_consumer_of_an_integration_message_also_takes_it_in_a_batch()
    {
        var services = new[]
        {
            typeof(Ticketing.Catalog.CatalogService), typeof(Ticketing.Orders.OrdersService),
            typeof(Ticketing.Tickets.TicketsService), typeof(Ticketing.Insights.InsightsService), typeof(Ticketing.Queue.QueueService),
        }.Select(service => service.Assembly);
        var consumers = services.SelectMany(assembly => assembly.GetTypes())
            .Where(type => type is { IsClass: true, IsAbstract: false } && (!type.IsGenericTypeDefinition || type.GetGenericArguments().Length == 1))
            .Select(type => type.IsGenericTypeDefinition ? type.MakeGenericType(typeof(Ticketing.Contracts.Catalog.ConcertPublished)) : type)
            .SelectMany(type => type.GetInterfaces()
                .Where(contract => contract.IsGenericType && contract.GetGenericTypeDefinition() == typeof(IConsumer<>))
                .Select(contract => (Consumer: type, Message: contract.GetGenericArguments()[0])))
            .Where(consumer => consumer.Message.Namespace?.StartsWith("Ticketing.Contracts.", StringComparison.Ordinal) == true
                && consumer.Message.Namespace != typeof(MessageBatch<>).Namespace)
            .ToList();

        Assert.NotEmpty(consumers);
        var alone = consumers
            .Where(consumer => !consumer.Consumer.IsAssignableTo(typeof(IConsumer<>).MakeGenericType(typeof(MessageBatch<>).MakeGenericType(consumer.Message))))
            .Select(consumer => $"{consumer.Consumer.Name} takes {consumer.Message.Name} only alone")
            .ToList();
        Assert.True(alone.Count == 0, string.Join("\n", alone));
    }
}
