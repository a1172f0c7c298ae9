using Npgsql;
using Ticketing.Bench.Reference;

var builder = WebApplication.CreateSlimBuilder(args);
var connectionString = builder.Configuration.GetConnectionString("Reference") ?? throw new InvalidOperationException("Set ConnectionStrings__Reference.");

// As the platform's services connect: no DISCARD ALL on a pooled connection handed out again (it keeps no state in
// one), which would be a second transaction on the server for every hold.
builder.Services.AddSingleton(NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(connectionString) { NoResetOnClose = true }.ConnectionString));

var app = builder.Build();
app.MapPost("/api/bench-reference/concerts/{concertId:guid}/holds", ReferenceHolds.PlaceHold);
app.MapGet("/health/live", () => TypedResults.Ok());
app.Run();
