using System.Collections.Concurrent;
using System.Net.Http.Headers;
using Ticketing.ServiceDefaults.Security;

namespace Ticketing.Bench.Infrastructure;

/// <summary>
/// Bearer tokens for the simulated fans and the operator, signed here with the key the local system runs with
/// (as its development issuer would sign them), so that a drop of 20,000 fans does not first cost 20,000
/// calls to <c>/auth/token</c>. Each token is signed once and kept.
/// </summary>
public static class BenchTokens
{
    /// <summary>The key of appsettings.Development.json, unless TICKETING_AUTH_SIGNING_KEY says otherwise.</summary>
    private static readonly string SigningKey =
        Environment.GetEnvironmentVariable("TICKETING_AUTH_SIGNING_KEY") is { Length: > 0 } key ? key : "0wmISFiOrBmX6CmKFCjPA6cyQFJzQwry0VGLXxynFlM=";

    private static readonly ConcurrentDictionary<(string User, string Role), AuthenticationHeaderValue> Signed = new();

    public static AuthenticationHeaderValue Fan(string fanId) => For(fanId, Policies.FanRole);

    public static AuthenticationHeaderValue Operator { get; } = For("bench-operator", Policies.OperatorRole);

    /// <summary>Signs the tokens of these fans ahead of a measured phase, on all cores.</summary>
    public static void Prepare(IEnumerable<string> fanIds) => Parallel.ForEach(fanIds, fanId => Fan(fanId));

    private static AuthenticationHeaderValue For(string user, string role) =>
        Signed.GetOrAdd((user, role), key => new AuthenticationHeaderValue(
            "Bearer", DevelopmentTokens.Create(SigningKey, key.User, key.Role, DateTimeOffset.UtcNow.AddMinutes(-1), TimeSpan.FromHours(4))));
}
