using Xunit;

namespace Ticketing.Testing;

/// <summary>Checks on the platform's RFC 7807 answers.</summary>
public static class Problems
{
    /// <summary>
    /// Asserts that <paramref name="response"/> is a problem detail (<c>application/problem+json</c>) with status
    /// <paramref name="expected"/>, in the status line and in the body, and returns the problem. <paramref name="because"/>
    /// names the case in a failure's message (a row of a table of cases).
    /// </summary>
    public static async Task<JsonElement> AssertAsync(HttpResponseMessage response, HttpStatusCode expected, string? because = null)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"{because}{(because is null ? "" : ": ")}expected {(int)expected}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(body).RootElement.Clone();
        Assert.Equal((int)expected, problem.GetProperty("status").GetInt32());
        return problem;
    }
}
