using Npgsql;
using Ticketing.Bench.Reference;

var builder = WebApplication.CreateSlimBuilder(args);
builder.Services.AddSingleton(NpgsqlDataSource.Create(
    builder.Configuration.GetConnectionString("Reference") ?? throw new InvalidOperationException("Set ConnectionStrings__Reference.")));

var app = builder.Build();
app.MapPost("/api/bench-reference/concerts/{concertId:guid}/holds", ReferenceHolds.PlaceHold);
app.MapGet("/health/live", () => TypedResults.Ok());
app.Run();
