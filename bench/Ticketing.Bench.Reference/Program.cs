using Npgsql;
using Ticketing.Bench.Reference;

var builder = WebApplication.CreateSlimBuilder(args);
var connectionString = builder.Configuration.GetConnectionString("Reference") ?? throw new InvalidOperationException("Set ConnectionStrings__Reference.");

// As the platform's services connect: no DISCARD ALL on a pooled connection handed out again (it keeps no state in
// one), which would be a second transaction on the server for every hold, and statements run again and again
// prepared on the connection (the hold's UPDATE is then neither parsed nor planned each time), like for like.
builder.Services.AddSingleton(NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(connectionString)
{
    NoResetOnClose = true,
    MaxAutoPrepare = 128,
}.ConnectionString));

var app = builder.Build();
app.MapPost("/api/bench-reference/concerts/{concertId:guid}/holds", ReferenceHolds.PlaceHold);
app.MapGet("/health/live", () => TypedResults.Ok());
app.Run();
