using Ticketing.Gateway.ApiReference;
using Ticketing.Gateway.Caching;
using Ticketing.Gateway.Dashboards;
using Ticketing.Gateway.FanApp;
using Ticketing.Gateway.Routing;
using Ticketing.Gateway.Security;
using Ticketing.Gateway.WaitingRoom;
using Ticketing.ServiceDefaults;
using Ticketing.ServiceDefaults.Telemetry;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults(MetricsScraping.OwnPortOnly); // /metrics only on Metrics:Port, never on the public port
builder.AddGatewayProtection();
builder.AddApiReference();
builder.AddGatewayRouting();
builder.AddQueueEdgeAnswers();
builder.AddReadCaching();

var app = builder.Build();
app.UseServiceDefaults();
app.UseGatewayProtection();
app.UseFanAppFiles();
app.UseReadCaching();
app.UseAuthentication();
app.UseAuthorization();
app.UseRateLimiter();
app.MapDefaultEndpoints();
app.MapDevelopmentIssuer().RequireRateLimiting(GatewayProtection.StandardPolicy);
app.MapOpsDashboard();
app.MapApiReference();
app.MapReverseProxy(pipeline =>
{
    pipeline.UseQueueEdgeAnswers();
    pipeline.UseSessionAffinity(); // YARP's default steps, after the edge answers
    pipeline.UseLoadBalancing();
    pipeline.UsePassiveHealthChecks();
});
app.MapFanApp();
app.Run();
