using Ticketing.ServiceDefaults;
using Ticketing.Tickets;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddTickets();

var app = builder.Build();
app.UseServiceDefaults();
app.UseAuthentication();
app.UseAuthorization();
app.MapDefaultEndpoints();
app.MapTicketsApi();
app.Run();
