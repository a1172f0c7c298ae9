using System.Net.Http.Headers;
using Ticketing.ServiceDefaults.Security;

namespace Ticketing.Testing;

/// <summary>Tokens as the development issuer signs them, with the test hosts' key (and some it would never sign).</summary>
public static class TestTokens
{
    /// <summary>The <c>Auth:SigningKey</c> of every test host.</summary>
    public const string SigningKey = "dGVzdC1vbmx5LWp3dC1zaWduaW5nLWtleS1vZi0zMi1ieXRlcyEhIQ==";

    private const string WrongKey = "d3Jvbmctand0LXNpZ25pbmcta2V5LW9mLTMyLWJ5dGVzISEhIQ==";

    public static string Fan(string name) => DevelopmentTokens.Create(SigningKey, name, Policies.FanRole, DateTimeOffset.UtcNow, TimeSpan.FromHours(1));

    public static string Operator(string name) => DevelopmentTokens.Create(SigningKey, name, Policies.OperatorRole, DateTimeOffset.UtcNow, TimeSpan.FromHours(1));

    /// <summary>A fan's token that expired ten minutes ago.</summary>
    public static string Expired(string name) =>
        DevelopmentTokens.Create(SigningKey, name, Policies.FanRole, DateTimeOffset.UtcNow.AddHours(-2), TimeSpan.FromMinutes(110));

    /// <summary>A fan's token signed with a key the hosts do not know.</summary>
    public static string WrongKeyFan(string name) => DevelopmentTokens.Create(WrongKey, name, Policies.FanRole, DateTimeOffset.UtcNow, TimeSpan.FromHours(1));

    /// <summary>A fan's token whose payload was edited to say <c>operator</c>, keeping the fan's signature.</summary>
    public static string TamperedToOperator(string name)
    {
        var parts = Fan(name).Split('.');
        var payload = Base64UrlDecode(parts[1]).Replace("\"role\":\"fan\"", "\"role\":\"operator\"", StringComparison.Ordinal);
        return $"{parts[0]}.{Base64UrlEncode(payload)}.{parts[2]}";
    }

    public static HttpClient WithToken(this HttpClient client, string token)
    {
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private static string Base64UrlDecode(string value)
    {
        var padded = value.Replace('-', '+').Replace('_', '/');
        padded += new string('=', (4 - padded.Length % 4) % 4);
        return System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(padded));
    }

    private static string Base64UrlEncode(string value) =>
        Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(value)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
