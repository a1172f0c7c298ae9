using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Ticketing.Catalog.Shared;
using Ticketing.ServiceDefaults.Http;
using Ticketing.ServiceDefaults.Security;

namespace Ticketing.Catalog.ExchangeRates;

public static class ExchangeRatesApi
{
    /// <summary>How long the public sheet may be kept: rates are for showing approximate prices, a minute old is fine.</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(60);

    public static RouteGroupBuilder MapExchangeRates(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/catalog/exchange-rates").WithTags("Exchange rates");
        group.MapGet("/", GetExchangeRates).WithName(nameof(GetExchangeRates))
            .WithSummary("The operators' latest exchange rates, for approximate prices in a fan's currency (never used for charges).");
        group.MapPut("/", PublishExchangeRates).WithName(nameof(PublishExchangeRates)).RequireAuthorization(Policies.Operator)
            .WithSummary("Publish exchange rates: units of each currency worth one unit of the base.");
        return group;
    }

    public static async Task<Results<CacheableJson<ExchangeRatesResponse>, ProblemHttpResult>> GetExchangeRates(
        IQuerySession session, CancellationToken cancellationToken)
    {
        var sheet = await session.LoadAsync<ExchangeRateSheet>(ExchangeRateSheet.StreamId, cancellationToken);
        return sheet is null
            ? TypedResults.Problem(title: "No exchange rates", detail: "No exchange rates have been published yet.", statusCode: StatusCodes.Status404NotFound)
            : CacheableJson.Public(ExchangeRatesResponse.From(sheet), MaxAge, sheet.Version.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    public static async Task<Results<Ok<ExchangeRatesResponse>, ValidationProblem>> PublishExchangeRates(
        PublishExchangeRatesRequest? request, IDocumentSession session, TimeProvider time, CancellationToken cancellationToken)
    {
        var (published, errors) = ExchangeRatesValidation.Validate(request, time.GetUtcNow());
        if (published is null)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        // Each publication replaces the sheet; appended without an expected version, the last one wins.
        session.Events.Append(ExchangeRateSheet.StreamId, published);
        await session.SaveChangesAsync(cancellationToken);
        var sheet = await session.LoadAsync<ExchangeRateSheet>(ExchangeRateSheet.StreamId, cancellationToken);
        return TypedResults.Ok(ExchangeRatesResponse.From(sheet!));
    }
}
