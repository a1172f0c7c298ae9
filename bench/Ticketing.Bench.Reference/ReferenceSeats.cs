namespace Ticketing.Bench.Reference;

/// <summary>
/// The reference's one table, a row per seat of a concert in its own scratch database: the benchmark creates it
/// and lays out a concert's seats (<see cref="Schema"/>, <see cref="Insert"/>); the endpoint holds seats with
/// <see cref="HoldBest"/>; the benchmark reads the outcome back with <see cref="Held"/>.
/// </summary>
public static class ReferenceSeats
{
    public const string Database = "ticketing_bench_reference";

    /// <summary>The table, emptied: each run lays out its own concerts, on a table of the same size.</summary>
    public const string Schema = """
        CREATE TABLE IF NOT EXISTS reference_seats (
            concert_id uuid NOT NULL,
            seat_id text NOT NULL,
            tier text NOT NULL,
            rank int NOT NULL,
            hold_id uuid,
            fan_id text,
            held_at timestamptz,
            PRIMARY KEY (concert_id, seat_id));
        CREATE INDEX IF NOT EXISTS reference_seats_free ON reference_seats (concert_id, tier, rank) WHERE hold_id IS NULL;
        TRUNCATE reference_seats;
        """;

    /// <summary>$1 concert, $2 seat ids, $3 their tiers, in rank order (best first).</summary>
    public const string Insert = """
        INSERT INTO reference_seats (concert_id, seat_id, tier, rank)
        SELECT $1, seat.id, seat.tier, seat.rank FROM unnest($2::text[], $3::text[]) WITH ORDINALITY AS seat(id, tier, rank)
        """;

    /// <summary>$1 concert, $2 tier, $3 quantity, $4 hold id, $5 fan: the held seat ids, none unless all $3.</summary>
    public const string HoldBest = """
        WITH picked AS (
            SELECT seat_id FROM reference_seats
            WHERE concert_id = $1 AND tier = $2 AND hold_id IS NULL
            ORDER BY rank LIMIT $3
            FOR UPDATE SKIP LOCKED)
        UPDATE reference_seats SET hold_id = $4, fan_id = $5, held_at = now()
        WHERE concert_id = $1 AND seat_id IN (SELECT seat_id FROM picked) AND (SELECT count(*) FROM picked) = $3
        RETURNING seat_id
        """;

    /// <summary>$1 concert: every held seat with its hold.</summary>
    public const string Held = "SELECT seat_id, hold_id FROM reference_seats WHERE concert_id = $1 AND hold_id IS NOT NULL";
}
