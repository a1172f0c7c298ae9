namespace Ticketing.Insights.Tests;

/// <summary>One platform for the stream, duplicate and access tests; its classes run one after another.</summary>
[CollectionDefinition(Name)]
public sealed class LiveInsightsCollection : ICollectionFixture<InsightsFixture>
{
    public const string Name = "live insights";
}
