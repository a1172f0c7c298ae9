using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Ticketing.Contracts.Catalog;
using Ticketing.Testing;

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

            await Task.Delay(TimeSpan.FromSeconds(3));
            Assert.DoesNotContain(catalog.Messages.All<ProductPublished>(), message => message.ProductId == productId);

            catalog.BrokerProxy.Restore();
            var published = await catalog.Messages.WaitForAsync<ProductPublished>(message => message.ProductId == productId, TimeSpan.FromSeconds(60));

            Assert.Equal(100, published.Stock);
            await Task.Delay(TimeSpan.FromSeconds(1));
            Assert.Single(catalog.Messages.All<ProductPublished>(), message => message.ProductId == productId);
        }
        finally
        {
            catalog.BrokerProxy.Restore();
        }
    }
}
