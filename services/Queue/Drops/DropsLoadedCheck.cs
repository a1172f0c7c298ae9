using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Ticketing.Queue.Drops;

/// <summary>An instance is ready once it has read every drop's stream: before that it would answer "not in the queue" to fans who are.</summary>
public sealed class DropsLoadedCheck(DropStates drops) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(drops.Loaded.IsCompletedSuccessfully
            ? HealthCheckResult.Healthy("Every drop's stream was read.")
            : HealthCheckResult.Unhealthy("Still reading the drops' streams."));
}
