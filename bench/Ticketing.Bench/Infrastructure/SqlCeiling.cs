using System.Diagnostics;
using Npgsql;

namespace Ticketing.Bench.Infrastructure;

/// <summary>N conditional single-row UPDATEs: how many claimed a unit, how long they took, what the row says after.</summary>
public sealed record SqlCeilingResult(int Statements, int Stock, int Claimed, TimeSpan LastClaimAfter, TimeSpan AllAfter, int Connections, int FinalReserved)
{
    /// <summary>Successful claims per second: claims / time from the start to the last successful claim.</summary>
    public double ClaimRate => Stats.Rate(Claimed, LastClaimAfter);

    /// <summary>All statements (claims and misses) per second.</summary>
    public double StatementRate => Stats.Rate(Statements, AllAfter);

    public bool IsCorrect => Claimed == Math.Min(Stock, Statements) && FinalReserved == Claimed;
}

/// <summary>N single-seat claims, each of a different seat: how many took their seat, how long they took.</summary>
public sealed record SeatClaimCeilingResult(int Seats, int Claims, int Claimed, TimeSpan Elapsed, int Connections, int RowsHeld)
{
    /// <summary>Successful claims per second: claims / time from the start to the last claim.</summary>
    public double ClaimRate => Stats.Rate(Claimed, Elapsed);

    /// <summary>Every claim took its seat, and the table says exactly those seats are held.</summary>
    public bool IsCorrect => Claimed == Claims && RowsHeld == Claims;
}

/// <summary>
/// The database's ceiling for claiming stock (<see cref="MeasureAsync"/>) and for holding seats
/// (<see cref="MeasureSeatClaimsAsync"/>). Stock: N autocommit statements
/// <c>UPDATE bench_stock SET reserved = reserved + 1 WHERE id = 1 AND reserved &lt; stock</c> over Npgsql, from a
/// fixed number of concurrent connections, on a scratch table in a scratch database. Every claim that succeeds
/// writes and commits (a WAL flush); the ones after the stock is gone find no row to update and write nothing.
/// </summary>
public static class SqlCeiling
{
    public const string ScratchDatabase = "ticketing_bench";

    public static async Task<SqlCeilingResult> MeasureAsync(
        Servers servers, int statements, int stock, int connections, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutSource.CancelAfter(timeout);
        try
        {
            return await MeasureAsync(servers, statements, stock, connections, timeoutSource.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"{statements} UPDATEs did not finish within {timeout.TotalSeconds:F0} s.");
        }
    }

    /// <summary>
    /// The database's ceiling for holding seats: <paramref name="claims"/> autocommit statements
    /// <c>UPDATE bench_seats SET holder = $1 WHERE id = $2 AND holder IS NULL</c>, each for a different seat of a
    /// fresh table of <paramref name="seats"/> rows (in random order), from <paramref name="connections"/>
    /// concurrent connections. Every claim finds its seat free, so every one writes and commits (a WAL flush).
    /// </summary>
    public static async Task<SeatClaimCeilingResult> MeasureSeatClaimsAsync(
        Servers servers, int seats, int claims, int connections, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutSource.CancelAfter(timeout);
        try
        {
            return await MeasureSeatClaimsAsync(servers, seats, Math.Min(claims, seats), connections, timeoutSource.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"{claims} seat claims did not finish within {timeout.TotalSeconds:F0} s.");
        }
    }

    private static async Task<SeatClaimCeilingResult> MeasureSeatClaimsAsync(
        Servers servers, int seats, int claims, int connections, CancellationToken token)
    {
        await EnsureDatabaseAsync(servers, token);
        await using var dataSource = servers.Database(ScratchDatabase, connections);
        await using (var setup = dataSource.CreateBatch())
        {
            setup.BatchCommands.Add(new("CREATE TABLE IF NOT EXISTS bench_seats (id int PRIMARY KEY, holder text)"));
            setup.BatchCommands.Add(new("TRUNCATE bench_seats"));
            setup.BatchCommands.Add(new("INSERT INTO bench_seats (id, holder) SELECT i, NULL FROM generate_series(1, $1) AS i")
            {
                Parameters = { new NpgsqlParameter { Value = seats } },
            });
            setup.BatchCommands.Add(new("ANALYZE bench_seats"));
            await setup.ExecuteNonQueryAsync(token);
        }

        var order = Enumerable.Range(1, seats).ToArray();
        Random.Shared.Shuffle(order);
        var workers = new List<(NpgsqlConnection Connection, NpgsqlCommand Claim)>();
        try
        {
            for (var i = 0; i < connections; i++)
            {
                var connection = await dataSource.OpenConnectionAsync(token);
                var claim = new NpgsqlCommand("UPDATE bench_seats SET holder = $1 WHERE id = $2 AND holder IS NULL", connection)
                {
                    Parameters = { new NpgsqlParameter<string> { TypedValue = "" }, new NpgsqlParameter<int> { TypedValue = 0 } },
                };
                workers.Add((connection, claim));
                await claim.PrepareAsync(token);
            }

            var next = -1;
            var claimed = 0;
            var start = Stopwatch.GetTimestamp();
            await Task.WhenAll(workers.Select(async worker =>
            {
                var holder = (NpgsqlParameter<string>)worker.Claim.Parameters[0];
                var seat = (NpgsqlParameter<int>)worker.Claim.Parameters[1];
                int index;
                while ((index = Interlocked.Increment(ref next)) < claims)
                {
                    holder.TypedValue = $"fan-{index}";
                    seat.TypedValue = order[index];
                    if (await worker.Claim.ExecuteNonQueryAsync(token) == 1)
                    {
                        Interlocked.Increment(ref claimed);
                    }
                }
            }));
            var elapsed = Stopwatch.GetElapsedTime(start);

            await using var read = new NpgsqlCommand("SELECT count(*)::int FROM bench_seats WHERE holder IS NOT NULL", workers[0].Connection);
            var held = (int)(await read.ExecuteScalarAsync(token))!;
            return new SeatClaimCeilingResult(seats, claims, claimed, elapsed, connections, held);
        }
        finally
        {
            foreach (var (connection, claim) in workers)
            {
                await claim.DisposeAsync();
                await connection.DisposeAsync();
            }
        }
    }

    private static async Task<SqlCeilingResult> MeasureAsync(
        Servers servers, int statements, int stock, int connections, CancellationToken token)
    {
        await EnsureDatabaseAsync(servers, token);
        await using var dataSource = servers.Database(ScratchDatabase, connections);
        await using (var setup = dataSource.CreateBatch())
        {
            setup.BatchCommands.Add(new("CREATE TABLE IF NOT EXISTS bench_stock (id int PRIMARY KEY, stock int NOT NULL, reserved int NOT NULL)"));
            setup.BatchCommands.Add(new("TRUNCATE bench_stock"));
            setup.BatchCommands.Add(new("INSERT INTO bench_stock (id, stock, reserved) VALUES (1, $1, 0)") { Parameters = { new NpgsqlParameter { Value = stock } } });
            await setup.ExecuteNonQueryAsync(token);
        }

        // Open and prepare every connection before the clock starts.
        var workers = new List<(NpgsqlConnection Connection, NpgsqlCommand Claim)>();
        try
        {
            for (var i = 0; i < connections; i++)
            {
                var connection = await dataSource.OpenConnectionAsync(token);
                var claim = new NpgsqlCommand("UPDATE bench_stock SET reserved = reserved + 1 WHERE id = 1 AND reserved < stock", connection);
                workers.Add((connection, claim));
                await claim.PrepareAsync(token);
            }

            var next = 0;
            var claimed = 0;
            var lastClaim = 0L;
            var start = Stopwatch.GetTimestamp();
            await Task.WhenAll(workers.Select(async worker =>
            {
                while (Interlocked.Increment(ref next) <= statements)
                {
                    if (await worker.Claim.ExecuteNonQueryAsync(token) == 1)
                    {
                        Interlocked.Increment(ref claimed);
                        InterlockedMax(ref lastClaim, Stopwatch.GetTimestamp());
                    }
                }
            }));
            var end = Stopwatch.GetTimestamp();

            await using var read = new NpgsqlCommand("SELECT reserved FROM bench_stock WHERE id = 1", workers[0].Connection);
            var finalReserved = (int)(await read.ExecuteScalarAsync(token))!;
            return new SqlCeilingResult(
                statements,
                stock,
                claimed,
                claimed == 0 ? TimeSpan.Zero : Stopwatch.GetElapsedTime(start, lastClaim),
                Stopwatch.GetElapsedTime(start, end),
                connections,
                finalReserved);
        }
        finally
        {
            foreach (var (connection, claim) in workers)
            {
                await claim.DisposeAsync();
                await connection.DisposeAsync();
            }
        }
    }

    private static async Task EnsureDatabaseAsync(Servers servers, CancellationToken cancellationToken)
    {
        await using var server = servers.Database("postgres", 1);
        await using var exists = server.CreateCommand("SELECT 1 FROM pg_database WHERE datname = $1");
        exists.Parameters.Add(new NpgsqlParameter { Value = ScratchDatabase });
        if (await exists.ExecuteScalarAsync(cancellationToken) is not null)
        {
            return;
        }

        try
        {
            await using var create = server.CreateCommand($"CREATE DATABASE {ScratchDatabase}");
            await create.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (PostgresException exception) when (exception.SqlState == PostgresErrorCodes.DuplicateDatabase)
        {
            // created by a concurrent run in the meantime
        }
    }

    private static void InterlockedMax(ref long target, long value)
    {
        var current = Interlocked.Read(ref target);
        while (value > current)
        {
            var seen = Interlocked.CompareExchange(ref target, value, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }
}
