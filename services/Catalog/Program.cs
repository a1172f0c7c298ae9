using Ticketing.Catalog;
using Ticketing.ServiceDefaults;
using Ticketing.ServiceDefaults.OpenApi;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddCatalog();
builder.AddServiceOpenApi(ServiceDocuments.Catalog);

var app = builder.Build();
app.UseServiceDefaults();
app.UseAuthentication();
app.UseAuthorization();
app.MapDefaultEndpoints();
app.MapServiceOpenApi();
app.MapCatalogApi();
app.Run();
