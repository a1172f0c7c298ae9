using Ticketing.Insights;
using Ticketing.ServiceDefaults;
using Ticketing.ServiceDefaults.OpenApi;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddInsights();
builder.AddServiceOpenApi(ServiceDocuments.Insights);

var app = builder.Build();
app.UseServiceDefaults();
app.UseAuthentication();
app.UseAuthorization();
app.MapDefaultEndpoints();
app.MapServiceOpenApi();
app.MapInsightsApi();
app.Run();
