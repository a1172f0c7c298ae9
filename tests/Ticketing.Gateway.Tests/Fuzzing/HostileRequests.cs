using System.Text;
using CsCheck;

namespace Ticketing.Gateway.Tests.Fuzzing;

/// <summary>One request the fuzzer sends: who sends it, the method, path and query, the headers and the body bytes.</summary>
public sealed record FuzzRequest(string Caller, string Method, string Route, string Path, IReadOnlyList<KeyValuePair<string, string>> Headers, byte[]? Body, string? ContentType)
{
    public override string ToString()
    {
        var body = Body is null ? "(no body)" : Body.Length > 300 ? $"{Body.Length} bytes: {Preview(Body[..300])}…" : Preview(Body);
        return $"{Caller} {Method} {Path} [{string.Join("; ", Headers.Select(header => $"{header.Key}: {header.Value}"))}] {ContentType} {body}";
    }

    private static string Preview(byte[] bytes) => Encoding.UTF8.GetString(bytes).Replace("\0", "\\0");
}

/// <summary>
/// CsCheck generators of malformed and hostile requests for every gateway route: wrong types, huge numbers, the all-zero
/// and malformed ids, NUL and control characters, non-ASCII header values, bytes that are not UTF-8, deep JSON, oversized
/// bodies and path tricks, as anonymous, fans, operators and holders of broken tokens. Most requests are a valid request
/// with one or a few parts spoiled, so they pass the outer checks and reach the services' validation.
/// </summary>
public sealed class HostileRequests(FuzzWorld world)
{
    public const string Zero = "00000000-0000-0000-0000-000000000000";

    /// <summary>Every route of the gateway (method, path template), with the body a legitimate caller would send.</summary>
    private static readonly (string Method, string Template, string? Body)[] Routes =
    [
        ("GET", "/api/catalog/concerts", null),
        ("GET", "/api/catalog/concerts/{concert}", null),
        ("POST", "/api/catalog/concerts", "concert"),
        ("PUT", "/api/catalog/concerts/{concert}", "concert"),
        ("POST", "/api/catalog/concerts/{concert}/publish", null),
        ("POST", "/api/catalog/concerts/{concert}/cancel", """{"reason":"Typhoon"}"""),
        ("GET", "/api/catalog/products", null),
        ("GET", "/api/catalog/products/{product}", null),
        ("POST", "/api/catalog/products", "product"),
        ("POST", "/api/catalog/products/{product}/restock", """{"quantity":5}"""),
        ("GET", "/api/tickets/concerts/{concert}/seats", null),
        ("GET", "/api/tickets/concerts/{concert}/availability", null),
        ("POST", "/api/tickets/concerts/{concert}/holds", """{"seatIds":["A-1-20"]}"""),
        ("POST", "/api/tickets/concerts/{concert}/holds", """{"tier":"R","quantity":1}"""),
        ("GET", "/api/tickets/holds/{hold}", null),
        ("DELETE", "/api/tickets/holds/{hold}", null),
        ("GET", "/api/tickets/mine", null),
        ("POST", "/api/tickets/check-in", """{"code":"TKT1.abc.def","concertId":"{concert}"}"""),
        ("POST", "/api/orders", """{"holdId":"{hold}","items":[{"productId":"{product}","quantity":1}],"payment":{"cardNumber":"4242 4242 4242 4242"}}"""),
        ("GET", "/api/orders/mine", null),
        ("GET", "/api/orders/{order}", null),
        ("POST", "/api/orders/{order}/cancel", null),
        ("GET", "/api/insights/overview", null),
        ("GET", "/api/insights/concerts/{concert}", null),
        ("GET", "/api/insights/products/{product}", null),
        ("POST", "/auth/token", """{"userName":"fan-fuzz","role":"fan"}"""),
        ("GET", "/openapi/catalog.json", null),
        ("GET", "/openapi/queue.json", null),
        ("GET", "/scalar/", null),
        ("GET", "/health/live", null),
        ("GET", "/health/ready", null),
    ];

    private static readonly string[] Callers = ["anonymous", "fan", "fan", "fan", "operator", "operator", "expired", "forged", "garbage"];

    private static readonly string[] OddMethods = ["PATCH", "OPTIONS", "HEAD", "TRACE", "PROPFIND", "DELETE", "PUT", "POST", "GET"];

    /// <summary>What an id in a path can be: real ones, unknown, all zeros, not a GUID at all, path tricks.</summary>
    private static readonly string[] HostileIds =
    [
        Zero, "00000000-0000-0000-0000-00000000000", "ffffffff-ffff-ffff-ffff-ffffffffffff", "abc", "1", "-1", "1e9",
        "99999999999999999999999999999", "%00", "%2e%2e%2f%2e%2e%2fetc%2fpasswd", "..%2F..%2F..%2Fhealth", "%E2%80%AE", "%C3%28",
        "%FF%FE", "%EC%84%B8", "{" + Zero + "}", "(" + Zero + ")", Zero.Replace("-", ""), "' OR '1'='1", "%27%3B--", "null", "%20",
        new string('a', 3000), "%0d%0aX-Injected:%201",
    ];

    /// <summary>Query values: out-of-range and wrong-typed numbers, NUL and escape characters, broken UTF-8, long text.</summary>
    private static readonly string[] HostileQueryValues =
    [
        "2147483647", "2147483648", "-2147483648", "0", "-1", "1e3", "NaN", "0x10", "1.5", "", "%00", "a%00b", "%1B%5B31m", "%C3%28",
        "%FF", "%ED%A0%80", "%EC%84%B8%EA%B3%84", "Draft", "Published", "Cancelled", "draft", "Bogus", "NOVA", "%27%20OR%201%3D1--",
        new string('x', 2000), "%0A%0D", "[]", "{}", "true",
    ];

    private static readonly string[] QueryNames = ["page", "pageSize", "artist", "status", "page", "pageSize", "q", "%00", "artist%00"];

    /// <summary>JSON values that replace a field of a valid body: wrong types, extremes, NUL, broken escapes.</summary>
    private static readonly string[] HostileJsonValues =
    [
        "null", "true", "false", "0", "-1", "1.5", "2147483648", "-2147483649", "9223372036854775808", "1e400", "-1e400", "1e-400",
        "0.000000000000000000000000000001", "79228162514264337593543950336", "\"\"", "\" \"", "\"\\u0000\"", "\"a\\u0000b\"",
        "\"\\u001b[31mred\"", "\"\\ud800\"", "\"\\udfff\\ud800\"", "\"세계\"", "\"\\u202Eevil\"", "\"NaN\"", "\"Infinity\"",
        "\"2026-13-45T25:61:00Z\"", "\"9999-12-31T23:59:59Z\"", "\"0001-01-01T00:00:00Z\"", "\"" + Zero + "\"", "\"not-a-guid\"",
        "[]", "{}", "[null]", "[1,2,3]", "{\"a\":{\"b\":{}}}", "\"" + new string('s', 5000) + "\"", "[\"A-1-1\",\"A-1-1\"]",
        "\"4242 4242 4242 4242\"", "\"4000 0000 0000 0002\"", "\"1234\"",
    ];

    /// <summary>Bodies that are no valid JSON of any shape.</summary>
    private static readonly byte[][] RawBodies =
    [
        [], "null"u8.ToArray(), "[]"u8.ToArray(), "{"u8.ToArray(), "{\"a\":"u8.ToArray(), "}{"u8.ToArray(), "{}garbage"u8.ToArray(),
        [0xC3, 0x28], [0xFF, 0xFE, 0x00, 0x7B], [0xEF, 0xBB, 0xBF, (byte)'{', (byte)'}'], "{\"seatIds\":[\"A\u0000\"]}"u8.ToArray(),
        [(byte)'{', (byte)'"', 0xED, 0xA0, 0x80, (byte)'"', (byte)':', (byte)'1', (byte)'}'], "{\"a\":1,\"a\":2}"u8.ToArray(),
        "<xml/>"u8.ToArray(), "seatIds=A-1-1"u8.ToArray(), "\"just a string\""u8.ToArray(), "12345678901234567890"u8.ToArray(),
    ];

    private static readonly string?[] ContentTypes =
    [
        "application/json", "application/json", "application/json", "application/json", "application/json; charset=utf-8",
        "text/plain", "application/xml", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
        "application/json; charset=utf-16", "application/problem+json", null,
    ];

    /// <summary>Header values: non-ASCII (sent as UTF-8), control characters a client could send, long ones.</summary>
    private static readonly string[] HostileHeaderValues =
    [
        "세", "한국어 콘서트", "🎤🎫", "\u00e9t\u00e9", "\t", "a\tb", new string('h', 4000), "%00", "\u202E", "''", "<script>", "€",
    ];

    private static readonly string[] IdempotencyKeys =
    [
        "key-1", "주문-123", "key with spaces", "", new string('k', 201), "a\tb", "%00", "🎫", "ok:key/with.punct_~",
    ];

    private static readonly string[] CorrelationIds = ["abc", "세", new string('c', 500), "a\tb", "../../x", "%0d%0a"];

    public Gen<FuzzRequest> Any => Gen.Frequency(
        (6, SpoiledRoute),
        (2, OddMethodOrPath),
        (1, Oversized));

    /// <summary>A route of the table with its ids, query, headers and body spoiled, each part with some chance.</summary>
    private Gen<FuzzRequest> SpoiledRoute =>
        from route in Gen.Int[0, Routes.Length - 1]
        from caller in Gen.OneOf(Callers)
        from fan in Gen.Int[1, 60]
        from idKind in Gen.Int[0, 9]
        from hostileId in Gen.OneOf(HostileIds)
        from queries in Gen.Select(Gen.OneOf(QueryNames), Gen.OneOf(HostileQueryValues)).Array[0, 3]
        from headers in Headers
        from body in BodyFor(Routes[route].Body)
        from contentType in Gen.OneOf(ContentTypes)
        select Build(Routes[route], caller, fan, idKind < 5 ? null : hostileId, queries, headers, body, contentType);

    private Gen<FuzzRequest> OddMethodOrPath =>
        from route in Gen.Int[0, Routes.Length - 1]
        from method in Gen.OneOf(OddMethods)
        from caller in Gen.OneOf(Callers)
        from trick in Gen.OneOf(
            "", "/", "//", "/.", "/..", "/%2e%2e", "/%00", "/%2F", "?", "#frag", ";jsessionid=1", "/index.html", "/../../health/ready",
            "/..%2f..%2fapi%2forders%2fmine", "%20", "/extra/segments/here", "/%EC%84%B8", "/%C3%28")
        select Build((method, Routes[route].Template + trick, Routes[route].Body), caller, 1, null, [], [], null, "application/json");

    private Gen<FuzzRequest> Oversized =>
        from route in Gen.OneOf(Routes.Where(route => route.Method != "GET").ToArray())
        from size in Gen.Int[65_000, 100_000]
        from caller in Gen.OneOf(Callers)
        select Build(route, caller, 1, null, [], [], Encoding.UTF8.GetBytes("{\"seatIds\":[\"" + new string('A', size) + "\"]}"), "application/json");

    private static Gen<KeyValuePair<string, string>[]> Headers =>
        Gen.Frequency(
            (4, Gen.Const(Array.Empty<KeyValuePair<string, string>>())),
            (2, Gen.OneOf(HostileHeaderValues).Select(value => new[] { KeyValuePair.Create("X-Foo", value) })),
            (1, Gen.OneOf(HostileHeaderValues).Select(value => new[] { KeyValuePair.Create("Accept-Language", value) })),
            (2, Gen.OneOf(IdempotencyKeys).Select(value => new[] { KeyValuePair.Create("Idempotency-Key", value) })),
            (1, Gen.OneOf(CorrelationIds).Select(value => new[] { KeyValuePair.Create("X-Correlation-Id", value) })),
            (1, Gen.OneOf("application/xml", "*/*", "text/html", "세/세", "application/json;q=abc").Select(value => new[] { KeyValuePair.Create("Accept", value) })));

    /// <summary>The valid body of a route, spoiled in a few places, or raw bytes that are no JSON, or deep nesting.</summary>
    private static Gen<string?> SpoiledJson(string template) =>
        from spoils in Gen.Select(Gen.Int[0, 30], Gen.OneOf(HostileJsonValues)).Array[1, 3]
        select Spoil(template, spoils);

    private Gen<byte[]?> BodyFor(string? kind)
    {
        var template = kind switch
        {
            "concert" => world.ConcertJson,
            "product" => world.ProductJson,
            null => "{}",
            _ => world.Resolve(kind),
        };
        return Gen.Frequency(
            (2, Gen.Const<byte[]?>(kind is null ? null : Encoding.UTF8.GetBytes(template))),
            (6, SpoiledJson(template).Select(json => (byte[]?)Encoding.UTF8.GetBytes(json!))),
            (2, Gen.OneOf(RawBodies).Select(bytes => (byte[]?)bytes)),
            (1, Gen.Int[17, 300].Select(depth => (byte[]?)Encoding.UTF8.GetBytes("{\"seatIds\":" + new string('[', depth) + new string(']', depth) + "}"))));
    }

    private FuzzRequest Build(
        (string Method, string Template, string? Body) route,
        string caller,
        int fan,
        string? hostileId,
        (string Name, string Value)[] queries,
        KeyValuePair<string, string>[] headers,
        byte[]? body,
        string? contentType)
    {
        var path = hostileId is null
            ? world.Resolve(route.Template)
            : route.Template.Replace("{concert}", hostileId).Replace("{product}", hostileId).Replace("{hold}", hostileId).Replace("{order}", hostileId);
        if (queries.Length > 0)
        {
            path += (path.Contains('?') ? "&" : "?") + string.Join("&", queries.Select(query => $"{query.Name}={query.Value}"));
        }

        var allHeaders = headers.ToList();
        if (route.Template == "/api/orders" && route.Method == "POST" && !allHeaders.Any(header => header.Key == "Idempotency-Key"))
        {
            allHeaders.Add(KeyValuePair.Create("Idempotency-Key", $"fuzz-{Guid.NewGuid():N}"));
        }

        var sendsBody = body is not null && route.Method is not ("GET" or "HEAD" or "DELETE" or "TRACE");
        return new FuzzRequest(caller == "fan" ? $"fan-fuzz-{fan}" : caller, route.Method, route.Template, path, allHeaders,
            sendsBody ? body : null, sendsBody ? contentType : null);
    }

    /// <summary>Replaces the n-th scalar or container value of <paramref name="json"/> with <paramref name="value"/>, for each spoil.</summary>
    private static string Spoil(string json, (int Index, string Value)[] spoils)
    {
        foreach (var (index, value) in spoils)
        {
            var positions = ValuePositions(json);
            if (positions.Count == 0)
            {
                return value;
            }

            var (start, end) = positions[index % positions.Count];
            json = json[..start] + value + json[end..];
        }

        return json;
    }

    /// <summary>Where each member value and array element of <paramref name="json"/> starts and ends.</summary>
    private static List<(int Start, int End)> ValuePositions(string json)
    {
        var positions = new List<(int, int)>();
        var containers = new Stack<char>();
        for (var i = 0; i < json.Length; i++)
        {
            switch (json[i])
            {
                case '"':
                    i = StringEnd(json, i);
                    continue;
                case '{':
                    containers.Push('o');
                    continue;
                case '}' or ']':
                    if (containers.Count > 0)
                    {
                        containers.Pop();
                    }

                    continue;
                case '[':
                    containers.Push('a');
                    break;
                case ',' when containers.TryPeek(out var top) && top == 'a':
                case ':':
                    break;
                default:
                    continue;
            }

            var start = i + 1;
            while (start < json.Length && json[start] == ' ')
            {
                start++;
            }

            if (start < json.Length && json[start] is not (']' or '}'))
            {
                positions.Add((start, ValueEnd(json, start)));
            }
        }

        return positions;
    }

    private static int ValueEnd(string json, int start)
    {
        var depth = 0;
        for (var i = start; i < json.Length; i++)
        {
            switch (json[i])
            {
                case '"':
                    i = StringEnd(json, i);
                    if (depth == 0)
                    {
                        return Math.Min(i + 1, json.Length);
                    }

                    break;
                case '{' or '[':
                    depth++;
                    break;
                case '}' or ']':
                    if (depth == 0)
                    {
                        return i;
                    }

                    depth--;
                    if (depth == 0)
                    {
                        return i + 1;
                    }

                    break;
                case ',' when depth == 0:
                    return i;
            }
        }

        return json.Length;
    }

    /// <summary>Where the string that opens at <paramref name="quote"/> closes (escaped quotes skipped), or the end of <paramref name="json"/>.</summary>
    private static int StringEnd(string json, int quote)
    {
        for (var i = quote + 1; i < json.Length; i++)
        {
            if (json[i] == '\\')
            {
                i++;
            }
            else if (json[i] == '"')
            {
                return i;
            }
        }

        return json.Length;
    }
}
