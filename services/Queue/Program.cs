using Ticketing.Queue;
using Ticketing.ServiceDefaults;
using Ticketing.ServiceDefaults.OpenApi;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddQueue();
builder.AddServiceOpenApi(ServiceDocuments.Queue);

var app = builder.Build();
app.UseServiceDefaults();
app.UseAuthentication();
app.UseAuthorization();
app.MapDefaultEndpoints();
app.MapServiceOpenApi();
app.MapQueueApi();
app.Run();
