using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Ticketing.Bench.Infrastructure;
using Ticketing.ServiceDefaults.Security;

namespace Ticketing.Bench.Tokens;

/// <summary>
/// The remembered tokens of the gateway and every service (<see cref="RememberingTokenHandler"/>), in this process, no
/// servers: memory per remembered token and time per check of a remembered token, beside the same figures for keeping
/// each whole validation result and cloning its identity per request (the handler before 2026-12-02) in the same run.
/// On drop day every fan's token is remembered by every gateway instance, so memory per token times the fans is what
/// a gateway needs beyond its base.
/// </summary>
internal sealed class TokensBenchmark(int tokens, int rounds) : IBenchmarkRun
{
    private const string SigningKey = "YmVuY2htYXJrLW9ubHktand0LXNpZ25pbmcta2V5LTMyLWJ5dGVzIQ==";

    public static readonly Benchmark Definition = new("tokens",
        "Remembered bearer tokens, in process: bytes per remembered token and microseconds per remembered check, beside keeping whole validation results",
        options => new TokensBenchmark(
            options.Int("tokens", 50_000, 1_000, 500_000, "distinct fans' tokens remembered"),
            options.Int("rounds", 5, 1, 100, "checks of every remembered token, timed (one thread)")));

    private static readonly TokenValidationParameters Parameters =
        AuthenticationExtensions.DevelopmentTokenValidation(DevelopmentTokens.Key(SigningKey), new AuthOptions().RoleClaim);

    public async Task<bool> RunAsync(TextWriter output, CancellationToken cancellationToken)
    {
        var now = DateTimeOffset.UtcNow;
        var fans = Enumerable.Range(0, tokens).Select(i => $"fan-{i:D7}").ToArray();
        var minted = fans.Select(fan => DevelopmentTokens.Create(SigningKey, fan, Policies.FanRole, now, TimeSpan.FromHours(2))).ToArray();
        output.WriteLine();
        output.WriteLine($"== {tokens:N0} fans' tokens ({minted[0].Length} characters each), remembered, then each checked {rounds} times ==");

        var compact = new RememberingTokenHandler(TimeProvider.System) { MapInboundClaims = false };
        var whole = new WholeResults();
        var (compactBytes, compactMicroseconds, compactRight) = await MeasureAsync((token) => compact.ValidateTokenAsync(token, Parameters), minted, fans, cancellationToken);
        var (wholeBytes, wholeMicroseconds, wholeRight) = await MeasureAsync((token) => whole.ValidateTokenAsync(token), minted, fans, cancellationToken);

        output.WriteLine($"  remembered compactly (RememberingTokenHandler): {compactBytes:F0} bytes per token, {compactMicroseconds:F2} µs per remembered check; {compact.Count:N0} remembered");
        output.WriteLine($"  whole results, identity cloned per check:       {wholeBytes:F0} bytes per token, {wholeMicroseconds:F2} µs per remembered check");
        output.WriteLine($"  ratio compact ÷ whole: memory {compactBytes / wholeBytes:F2}, time {compactMicroseconds / wholeMicroseconds:F2}");
        output.WriteLine($"  for 100,000 fans: {compactBytes * 100_000 / (1024 * 1024):F0} MiB remembered compactly, {wholeBytes * 100_000 / (1024 * 1024):F0} MiB as whole results");

        var checks = new Checks(output);
        checks.Check(compactRight, "every remembered check of the compact handler valid, with its own fan");
        checks.Check(wholeRight, "every remembered check of whole results valid, with its own fan");
        checks.Check(compact.Count == tokens, $"every token remembered once: {compact.Count:N0} of {tokens:N0}");
        return checks.AllPassed;
    }

    private async Task<(double BytesPerToken, double MicrosecondsPerCheck, bool Right)> MeasureAsync(
        Func<string, Task<TokenValidationResult>> validate, string[] minted, string[] fans, CancellationToken cancellationToken)
    {
        var before = LiveBytes();
        foreach (var token in minted)
        {
            await validate(token);
        }

        var bytes = (LiveBytes() - before) / (double)minted.Length;
        var right = true;
        var watch = Stopwatch.StartNew();
        for (var round = 0; round < rounds; round++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            for (var i = 0; i < minted.Length; i++)
            {
                var result = await validate(minted[i]);
                right &= result.IsValid && result.ClaimsIdentity.Name == fans[i];
            }
        }

        return (bytes, watch.Elapsed.TotalMicroseconds / (rounds * (double)minted.Length), right);
    }

    private static long LiveBytes()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return GC.GetTotalMemory(forceFullCollection: true);
    }

    /// <summary>The handler before 2026-12-02: each whole validation result kept by its token, its identity cloned per check.</summary>
    private sealed class WholeResults
    {
        private readonly JsonWebTokenHandler handler = new() { MapInboundClaims = false };
        private readonly ConcurrentDictionary<string, (TokenValidationResult Result, DateTimeOffset Expires)> valid = new(StringComparer.Ordinal);

        public async Task<TokenValidationResult> ValidateTokenAsync(string token)
        {
            if (valid.TryGetValue(token, out var remembered) && remembered.Expires > DateTimeOffset.UtcNow)
            {
                return new TokenValidationResult
                {
                    IsValid = true,
                    SecurityToken = remembered.Result.SecurityToken,
                    ClaimsIdentity = remembered.Result.ClaimsIdentity.Clone(),
                    Issuer = remembered.Result.Issuer,
                    TokenType = remembered.Result.TokenType,
                };
            }

            var result = await handler.ValidateTokenAsync(token, Parameters);
            if (result.IsValid && result.SecurityToken is JsonWebToken { ValidTo: var validTo })
            {
                valid[token] = (result, new DateTimeOffset(validTo, TimeSpan.Zero));
            }

            return result;
        }
    }
}
