using Marten;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Ticketing.Orders.Payments;

namespace Ticketing.Orders.Tests;

/// <summary>
/// A card network whose authorizations are slow while voids are instant, as with real processors: the slow
/// authorization of an order can land after an operator has cancelled it. Here an authorization answers only when it
/// is let (<see cref="Answer"/>): once the operator's cancel of its order has reached Orders
/// (<see cref="AnswerOnCancel"/>), however fast or slow the box.
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

/// <summary>Lets the slow authorization of an order answer when an operator's cancel of that order reaches Orders.</summary>
public sealed class AnswerOnCancel(SlowAuthorizingProcessor processor) : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use((context, nextMiddleware) =>
        {
            var path = context.Request.Path.Value ?? "";
            if (path.StartsWith("/api/orders/", StringComparison.Ordinal) && path.EndsWith("/cancel", StringComparison.Ordinal)
                && Guid.TryParse(path["/api/orders/".Length..^"/cancel".Length], out var orderId))
            {
                processor.Answer(orderId);
            }

            return nextMiddleware(context);
        });
        next(app);
    };
}

public sealed class SlowAuthorizationFixture() : PlatformWithPayments(TimeSpan.FromMilliseconds(5))
{
    protected override void ConfigureServices(string service, IServiceCollection services)
    {
        services.AddSingleton<SimulatedCardProcessor>();
        services.AddSingleton<SlowAuthorizingProcessor>();
        services.Replace(ServiceDescriptor.Singleton<IPaymentProcessor>(provider => provider.GetRequiredService<SlowAuthorizingProcessor>()));
        services.AddSingleton<IStartupFilter, AnswerOnCancel>();
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

        // The authorization is in flight until this cancel reaches Orders (AnswerOnCancel).
        using var cancel = await platform.Operator().PostAsync($"/api/orders/{orderId}/cancel", null);

        Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);
        var order = await shop.FinalOrderAsync("fan-slow-card", orderId);
        Assert.Equal("Cancelled", order.GetProperty("status").GetString());
        await using var session = platform.Orders.Services.GetRequiredService<IDocumentStore>().QuerySession();
        await Shop.UntilAsync(async () => await session.LoadAsync<SimulatedAuthorization>(orderId) is not null);
        var authorization = await session.LoadAsync<SimulatedAuthorization>(orderId);
        Assert.NotEqual("authorized", authorization!.State);
        await Shop.UntilAsync(async () => (await shop.ProductStateAsync(productId)).GetProperty("available").GetInt32() == 5);
    }
}
