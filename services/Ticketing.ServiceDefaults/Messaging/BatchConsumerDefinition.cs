using MassTransit;

namespace Ticketing.ServiceDefaults.Messaging;

/// <summary>
/// For a consumer of <c>Batch&lt;T&gt;</c>: up to <see cref="BatchSize"/> messages delivered together, or whatever
/// arrived within 5 ms, one batch at a time per endpoint and instance, so that the batches of one queue never race
/// each other for the same rows. Under a drop this turns many short transactions into a few larger ones.
/// </summary>
public sealed class BatchConsumerDefinition<TConsumer> : ConsumerDefinition<TConsumer>
    where TConsumer : class, IConsumer
{
    /// <summary>Messages per batch: at most the endpoint's concurrent message limit, which is what a batch can gather.</summary>
    public const int BatchSize = 32;

    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<TConsumer> consumerConfigurator,
        IRegistrationContext context)
    {
        endpointConfigurator.ConcurrentMessageLimit = BatchSize;
        if (endpointConfigurator is IRabbitMqReceiveEndpointConfigurator rabbit)
        {
            rabbit.PrefetchCount = BatchSize * 2;
        }

        consumerConfigurator.Options<BatchOptions>(batch => batch
            .SetMessageLimit(BatchSize)
            .SetTimeLimit(TimeSpan.FromMilliseconds(5))
            .SetConcurrencyLimit(1));
    }
}
