using MassTransit;

namespace Ticketing.ServiceDefaults.Batching;

/// <summary>
/// For a consumer that hands its message to a <see cref="RequestGroups{TRequest, TResult}"/> and waits for the
/// group: many messages in flight at once (the consumers only wait), so that under a drop a group can gather up to
/// <see cref="InFlight"/> of them.
/// </summary>
public sealed class GroupedConsumerDefinition<TConsumer> : ConsumerDefinition<TConsumer>
    where TConsumer : class, IConsumer
{
    public const int InFlight = 128;

    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<TConsumer> consumerConfigurator,
        IRegistrationContext context)
    {
        endpointConfigurator.ConcurrentMessageLimit = InFlight;
        if (endpointConfigurator is IRabbitMqReceiveEndpointConfigurator rabbit)
        {
            rabbit.PrefetchCount = InFlight * 2;
        }
    }
}
