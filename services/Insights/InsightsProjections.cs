using JasperFx.Events.Daemon;
using JasperFx.Events.Projections;
using Marten;
using Npgsql;
using Ticketing.Insights.Concerts;
using Ticketing.Insights.Orders;
using Ticketing.Insights.Overview;
using Ticketing.Insights.Products;

namespace Ticketing.Insights;

/// <summary>The read models of Insights, built together by the async daemon as one composite projection.</summary>
public static class InsightsProjections
{
    /// <summary>The composite projection's name: its progress is the shard <c>Insights:All</c>.</summary>
    public const string Name = "Insights";

    /// <summary>The documents the composite writes, one projection each (a projection is named after its document).</summary>
    public static readonly IReadOnlyList<Type> Documents =
        [typeof(ConcertSales), typeof(ConcertLayout), typeof(RowSeatMap), typeof(ProductSales), typeof(OrderActivity), typeof(SalesOverview)];

    /// <summary>
    /// Registers the read models as one composite projection: each page of events is read and deserialized once for all
    /// of them (a seat's hold and sale feed both the concert's counts and its row's seat map; an order's messages both its
    /// activity and the overview), and their documents are written in one batch with one progress update. Six
    /// projections on their own read the pages up to three times over.
    /// </summary>
    public static void Register(StoreOptions options) => options.Projections.CompositeProjectionFor(Name, insights =>
    {
        insights.Add<ConcertSalesProjection>();
        insights.Add<ConcertLayoutProjection>();
        insights.Add<RowSeatMapProjection>();
        insights.Add<ProductSalesProjection>();
        insights.Add<OrderActivityProjection>();
        insights.Add<SalesOverviewProjection>();
    });
}

/// <summary>
/// Takes over a database whose read models were built by six projections of their own, each with its progress, before
/// the daemon starts. The composite keeps its own progress beside its members' and, finding none, would start from the
/// first event: it cannot (its members' progress rows are there already: the daemon fails on them again and again), and
/// must not (the counts move by sums, so events applied twice would count twice). If every member had come to the same
/// event (the daemon was caught up when the old version stopped, the usual case), the composite goes on from there;
/// otherwise the read models are deleted and rebuilt from the recorded events, which gives the same numbers. One instance
/// decides, under an advisory lock, in one transaction; a database without the members' rows (new, or taken over
/// already) is left alone. An instance of the old version must not be running meanwhile (its daemon would move the
/// members on after the take-over): if one holds a member's daemon lock, this instance refuses to start and says so.
/// </summary>
public sealed class InsightsProgressTakeover(IDocumentStore store, ILogger<InsightsProgressTakeover> logger) : IHostedService
{
    private const long LockKey = 0x1_5161_7470; // "Insights progress", any number other locks of this database do not use

    public Task StartAsync(CancellationToken cancellationToken) => TakeOverAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>What was done: nothing, the composite went on from the members' event, or the read models are rebuilt.</summary>
    public async Task<string> TakeOverAsync(CancellationToken cancellationToken)
    {
        var progression = $"{store.Options.Events.DatabaseSchemaName}.mt_event_progression";
        var composite = Shard(InsightsProjections.Name);
        var projections = InsightsProjections.Documents.Select(document => document.Name).ToArray();
        var members = projections.Select(Shard).ToArray();

        await using var connection = store.Storage.Database.CreateConnection();
        await connection.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await ExecuteAsync(connection, "select pg_advisory_xact_lock(@key)", cancellationToken, ("key", LockKey));
        if (!await IsTrueAsync(connection, "select to_regclass(@table) is not null", cancellationToken, ("table", progression)))
        {
            return "new database";
        }

        var progress = new Dictionary<string, long>();
        await using (var command = Command(connection, $"select name, last_seq_id from {progression} where name = any(@names)", ("names", members.Append(composite).ToArray())))
        {
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                progress[reader.GetString(0)] = reader.IsDBNull(1) ? 0 : reader.GetInt64(1);
            }
        }

        if (progress.ContainsKey(composite) || progress.Count == 0)
        {
            return "nothing to take over";
        }

        // The old layout: its daemon must not be running (an instance of the version before, still up in a rolling
        // update, would move the members on after this). Its shards' leadership locks are free, and held until this
        // commits so that none starts meanwhile; if one is taken, this instance refuses to start.
        foreach (var member in projections.Where(projection => progress.ContainsKey(Shard(projection))))
        {
            if (!await IsTrueAsync(connection, "select pg_try_advisory_xact_lock(@key)", cancellationToken, ("key", DaemonLockOf(store, member))))
            {
                throw new InvalidOperationException(
                    $"An Insights instance of the version before the composite projection is running the {member} projection. " +
                    "Stop the old Insights instances (scale them to zero), then start this version: it takes their read models over once, at start.");
            }
        }

        var reached = progress.Values.Distinct().ToArray();
        if (progress.Count == members.Length && reached.Length == 1)
        {
            await ExecuteAsync(connection, $"insert into {progression} (name, last_seq_id) values (@name, @sequence)", cancellationToken,
                ("name", composite), ("sequence", reached[0]));
            await transaction.CommitAsync(cancellationToken);
            logger.LogInformation("Insights' read models go on as one composite projection from event {Sequence}, where each of them was", reached[0]);
            return $"went on from {reached[0]}";
        }

        foreach (var document in InsightsProjections.Documents)
        {
            await ExecuteAsync(connection, $"delete from {store.Options.FindOrResolveDocumentType(document).TableName.QualifiedName}", cancellationToken);
        }

        await ExecuteAsync(connection, $"delete from {progression} where name = any(@names)", cancellationToken, ("names", members));
        await transaction.CommitAsync(cancellationToken);
        logger.LogWarning(
            "Insights' read models had come to different events ({Progress}): they are deleted and rebuilt from the recorded events",
            string.Join(", ", progress.Select(shard => $"{shard.Key} {shard.Value}")));
        return "rebuilding";
    }

    private static string Shard(string projection) => $"{projection}:All";

    /// <summary>The advisory lock the hot/cold daemon holds while it runs the projection (the id every node computes).</summary>
    public static long DaemonLockOf(IDocumentStore store, string projection) => ProjectionLockIds.Compute(
        store.Options.Events.DatabaseSchemaName, new ShardName(projection, ShardName.All, 0), ((StoreOptions)store.Options).Projections.DaemonLockId);

    private static NpgsqlCommand Command(NpgsqlConnection connection, string sql, params (string Name, object Value)[] parameters)
    {
        var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return command;
    }

    private static async Task<bool> IsTrueAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken, params (string Name, object Value)[] parameters)
    {
        await using var command = Command(connection, sql, parameters);
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken, params (string Name, object Value)[] parameters)
    {
        await using var command = Command(connection, sql, parameters);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
