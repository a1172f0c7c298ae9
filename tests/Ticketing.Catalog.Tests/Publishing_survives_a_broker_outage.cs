using Ticketing.Contracts.Catalog;

namespace Ticketing.Catalog.Tests;

/// <summary>The outbox: a change committed while the broker cannot be reached is announced once it can.</summary>
public sealed class Publishing_survives_a_broker_outage(CatalogBehindBrokerProxyFixture catalog) : IClassFixture<CatalogBehindBrokerProxyFixture>
{
    [Fact]
    public async Task A_product_listed_while_the_broker_is_unreachable_is_announced_once_it_is_back()
    {
        catalog.BrokerProxy!.Cut();
        try
        {
            using var response = await catalog.Client.PostAsJsonAsync("/api/catalog/products", Requests.Product());
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            var productId = (await response.ReadJsonAsync<JsonElement>()).GetProperty("id").GetGuid();

            await Lasting.ForAsync(TimeSpan.FromSeconds(3), because: "the outage lasts long enough for the relay to try to publish and fail");
            Assert.DoesNotContain(catalog.Messages.All<ProductPublished>(), message => message.ProductId == productId);

            catalog.BrokerProxy.Restore();
            var published = await catalog.Messages.WaitForAsync<ProductPublished>(message => message.ProductId == productId, TimeSpan.FromSeconds(60));

            Assert.Equal(100, published.Stock);

            // The relay publishes in commit order: once a product listed after the outage is announced, a second copy
            // of the first announcement, were there one, has been sent too.
            using var later = await catalog.Client.PostAsJsonAsync("/api/catalog/products", Requests.Product());
            var laterId = (await later.ReadJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
            await catalog.Messages.WaitForAsync<ProductPublished>(message => message.ProductId == laterId, TimeSpan.FromSeconds(60));
            Assert.Single(catalog.Messages.All<ProductPublished>(), message => message.ProductId == productId);
        }
        finally
        {
            catalog.BrokerProxy.Restore();
        }
    }
}
