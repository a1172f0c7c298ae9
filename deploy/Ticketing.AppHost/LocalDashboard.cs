using Ticketing.Topology;

namespace Ticketing.AppHost;

/// <summary>
/// The Aspire dashboard on loopback http ports of <see cref="SystemLayout"/> (a launch profile would set these when
/// run from an IDE; <c>./ticketing up</c> runs the built dll). Anonymous access: it listens on 127.0.0.1 only, for the
/// developer of this machine. Each value applies only when not set already.
/// </summary>
internal static class LocalDashboard
{
    public static void UseLoopbackDefaults()
    {
        Default("ASPNETCORE_URLS", SystemLayout.Http(SystemLayout.Dashboard.Value).ToString().TrimEnd('/'));
        Default("ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL", SystemLayout.Http(SystemLayout.DashboardOtlp.Value).ToString().TrimEnd('/'));
        Default("ASPIRE_RESOURCE_SERVICE_ENDPOINT_URL", SystemLayout.Http(SystemLayout.ResourceService.Value).ToString().TrimEnd('/'));
        Default("ASPIRE_ALLOW_UNSECURED_TRANSPORT", "true");
        Default("ASPIRE_DASHBOARD_UNSECURED_ALLOW_ANONYMOUS", "true");
        Default("DOTNET_ENVIRONMENT", "Development");
    }

    private static void Default(string variable, string value)
    {
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(variable)))
        {
            Environment.SetEnvironmentVariable(variable, value);
        }
    }
}
