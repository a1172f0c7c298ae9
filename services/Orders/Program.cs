using Ticketing.Orders;
using Ticketing.ServiceDefaults;
using Ticketing.ServiceDefaults.OpenApi;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddOrders();
builder.AddServiceOpenApi(ServiceDocuments.Orders);

var app = builder.Build();
app.UseServiceDefaults();
app.UseAuthentication();
app.UseAuthorization();
app.MapDefaultEndpoints();
app.MapServiceOpenApi();
app.MapOrdersApi();
app.Run();
