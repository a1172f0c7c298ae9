using System.Collections.Concurrent;
using Marten;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Ticketing.Orders.Payments;

namespace Ticketing.Orders.Tests;

/// <summary>
/// A card network whose authorizations are slow while voids are instant, as with real processors: the slow
/// authorization of an order can land after an operator has cancelled it. Here an authorization answers when the
/// test lets it (<see cref="Answer"/>), so it lands after the cancel every time, not by a race of timings.
/// </summary>
public sealed class SlowAuthorizingProcessor(SimulatedCardProcessor simulated) : IPaymentProcessor
{
    public ConcurrentDictionary<Guid, TaskCompletionSource> Authorizing { get; } = new();

    private ConcurrentDictionary<Guid, TaskCompletionSource> Answers { get; } = new();

    /// <summary>Lets the authorization of <paramref name="paymentKey"/> answer.</summary>
    public void Answer(Guid paymentKey) => Gate(Answers, paymentKey).TrySetResult();

    public static TaskCompletionSource Gate(ConcurrentDictionary<Guid, TaskCompletionSource> gates, Guid paymentKey) =>
        gates.GetOrAdd(paymentKey, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));

    public Task<string> TokenizeAsync(string cardNumber, CancellationToken cancellationToken) => simulated.TokenizeAsync(cardNumber, cancellationToken);

    public async Task<AuthorizationResult> AuthorizeAsync(Guid paymentKey, string token, decimal amount, string currency, CancellationToken cancellationToken)
    {
        Gate(Authorizing, paymentKey).TrySetResult();
        await Gate(Answers, paymentKey).Task.WaitAsync(cancellationToken);
        return await simulated.AuthorizeAsync(paymentKey, token, amount, currency, cancellationToken);
    }

    public Task VoidAsync(Guid paymentKey, CancellationToken cancellationToken) => simulated.VoidAsync(paymentKey, cancellationToken);

    public Task RefundAsync(Guid paymentKey, CancellationToken cancellationToken) => simulated.RefundAsync(paymentKey, cancellationToken);
}

public sealed class SlowAuthorizationFixture : PlatformFixture
{
    protected override Dictionary<string, string?> Configure(string service, Dictionary<string, string?> settings) =>
        FixtureSettings.ForService("orders", service, settings, ("Payments:Simulated:Latency", "00:00:00.005"));

    protected override void ConfigureServices(string service, IServiceCollection services)
    {
        services.AddSingleton<SimulatedCardProcessor>();
        services.AddSingleton<SlowAuthorizingProcessor>();
        services.Replace(ServiceDescriptor.Singleton<IPaymentProcessor>(provider => provider.GetRequiredService<SlowAuthorizingProcessor>()));
    }
}

public sealed class Payments_racing_a_cancel(SlowAuthorizationFixture platform) : IClassFixture<SlowAuthorizationFixture>
{
    private readonly Shop shop = new(platform);

    [Fact]
    public async Task An_operator_cancel_during_a_slow_authorization_leaves_no_money_held_on_the_order()
    {
        var productId = await shop.ProductAsync(stock: 5);
        var processor = platform.Orders.Services.GetRequiredService<SlowAuthorizingProcessor>();
        var orderId = await shop.CheckoutAsync("fan-slow-card", items: [(productId, 1)]);
        await SlowAuthorizingProcessor.Gate(processor.Authorizing, orderId).Task.WaitAsync(TimeSpan.FromSeconds(30));

        using var cancel = await platform.Operator().PostAsync($"/api/orders/{orderId}/cancel", null);

        Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);
        processor.Answer(orderId); // the authorization lands after the cancel
        var order = await shop.FinalOrderAsync("fan-slow-card", orderId);
        Assert.Equal("Cancelled", order.GetProperty("status").GetString());
        await using var session = platform.Orders.Services.GetRequiredService<IDocumentStore>().QuerySession();
        await Shop.UntilAsync(async () => await session.LoadAsync<SimulatedAuthorization>(orderId) is not null);
        var authorization = await session.LoadAsync<SimulatedAuthorization>(orderId);
        Assert.NotEqual("authorized", authorization!.State);
        await Shop.UntilAsync(async () => (await shop.ProductStateAsync(productId)).GetProperty("available").GetInt32() == 5);
    }
}
