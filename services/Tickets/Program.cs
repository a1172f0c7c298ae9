using Ticketing.ServiceDefaults;
using Ticketing.ServiceDefaults.OpenApi;
using Ticketing.Tickets;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddTickets();
builder.AddServiceOpenApi(ServiceDocuments.Tickets);

var app = builder.Build();
app.UseServiceDefaults();
app.UseAuthentication();
app.UseAuthorization();
app.MapDefaultEndpoints();
app.MapServiceOpenApi();
app.MapTicketsApi();
app.Run();
