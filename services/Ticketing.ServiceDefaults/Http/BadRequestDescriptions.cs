using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;

namespace Ticketing.ServiceDefaults.Http;

/// <summary>What a client did wrong, in the client's terms: the field and what it must be.</summary>
public sealed record BadRequestDescription(int Status, string Title, string Detail, IDictionary<string, string[]>? Errors);

/// <summary>
/// Turns the framework's request-reading failures into answers a client can act on, without the names of our types:
/// a JSON value of the wrong type is reported against its field in JSON terms (<c>priceTiers[0].price</c>: "Must be a
/// number."), a query parameter of the wrong type against its name (<c>page</c>: "Must be a whole number."). The
/// framework's own messages name CLR types (<c>Ticketing.Catalog.Concerts.PriceTierRequest</c>,
/// <c>Nullable&lt;ConcertStatus&gt;</c>) and are never passed on; an unrecognised message becomes a plain sentence.
/// </summary>
public static partial class BadRequestDescriptions
{
    public static BadRequestDescription Describe(BadHttpRequestException exception)
    {
        var status = exception.StatusCode;
        if (status == StatusCodes.Status413PayloadTooLarge)
        {
            return new(status, "Request body too large", "The request body is larger than this route accepts.", null);
        }

        if (status == StatusCodes.Status415UnsupportedMediaType)
        {
            return new(status, "Unsupported media type", "Send the body as JSON (Content-Type: application/json).", null);
        }

        if (FindJsonException(exception) is { } json)
        {
            var field = JsonField(json.Path);
            return Invalid(field, DescribeJson(json));
        }

        var message = exception.Message;
        if (BindFailed().Match(message) is { Success: true } bind)
        {
            return Invalid(bind.Groups["name"].Value, $"Must be {Kind(bind.Groups["type"].Value)}.");
        }

        if (RequiredMissing().Match(message) is { Success: true } required)
        {
            return required.Groups["source"].Value == "body"
                ? Invalid("body", "A JSON body is required.")
                : Invalid(required.Groups["name"].Value, "Required.");
        }

        if (message.StartsWith("Implicit body inferred", StringComparison.Ordinal))
        {
            return Invalid("body", "A JSON body is required.");
        }

        if (message.Contains("too slowly", StringComparison.Ordinal))
        {
            return new(StatusCodes.Status408RequestTimeout, "Request timed out", "The request body arrived too slowly.", null);
        }

        return new(status, "Malformed request", "The request could not be read; check its body, headers and parameters.", null);
    }

    /// <summary>A JSON path as a field name: <c>$.priceTiers[0].price</c> → <c>priceTiers[0].price</c>, <c>$</c> → <c>body</c>.</summary>
    public static string JsonField(string? path)
    {
        if (string.IsNullOrEmpty(path) || path == "$")
        {
            return "body";
        }

        var field = path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');
        return field.Length is > 0 and <= 200 && RequestText.IsClean(field) ? field : "body";
    }

    private static BadRequestDescription Invalid(string field, string message) =>
        new(StatusCodes.Status400BadRequest, "One or more validation errors occurred.", $"{field}: {message}",
            new Dictionary<string, string[]>(StringComparer.Ordinal) { [field] = [message] });

    private static JsonException? FindJsonException(Exception exception)
    {
        for (var inner = exception.InnerException; inner is not null; inner = inner.InnerException)
        {
            if (inner is JsonException json)
            {
                return json;
            }
        }

        return null;
    }

    private static string DescribeJson(JsonException json)
    {
        var message = json.Message;
        if (message.StartsWith(RequestText.Problem, StringComparison.Ordinal))
        {
            return RequestText.Problem;
        }

        if (ConvertFailed().Match(message) is { Success: true } convert)
        {
            return $"Must be {Kind(convert.Groups["type"].Value)}.";
        }

        if (message.Contains("could not be converted", StringComparison.Ordinal))
        {
            return "Has the wrong type.";
        }

        // A syntax error: the reader's sentence names no type; the position is what helps.
        var sentence = message.Split([" Path:", " LineNumber:"], 2, StringSplitOptions.None)[0].Trim();
        var position = json.LineNumber is { } line && json.BytePositionInLine is { } column ? $" (line {line + 1}, byte {column + 1})" : "";
        return sentence.Length is > 0 and <= 300 && !sentence.Contains("System.", StringComparison.Ordinal) && !sentence.Contains("Ticketing.", StringComparison.Ordinal)
            ? $"Malformed JSON: {sentence}{position}"
            : $"Malformed JSON{position}.";
    }

    /// <summary>What a CLR type is, said to a client: "a whole number", "an array", "one of Draft, Published".</summary>
    public static string Kind(string typeName)
    {
        var name = Unwrap(typeName.Trim());
        if (name.EndsWith("[]", StringComparison.Ordinal) || ListType().IsMatch(name))
        {
            return "an array";
        }

        return name switch
        {
            "int" or "Int32" or "System.Int32" or "long" or "Int64" or "System.Int64" or "short" or "Int16" or "System.Int16"
                or "byte" or "Byte" or "System.Byte" or "uint" or "UInt32" or "System.UInt32" or "ulong" or "UInt64" or "System.UInt64" => "a whole number",
            "decimal" or "Decimal" or "System.Decimal" or "double" or "Double" or "System.Double" or "float" or "Single" or "System.Single" => "a number",
            "Guid" or "System.Guid" => "an id (a GUID such as 0191e6d2-4c7a-7d0e-9f43-5a8c2b1d3e4f)",
            "bool" or "Boolean" or "System.Boolean" => "true or false",
            "DateTimeOffset" or "System.DateTimeOffset" or "DateTime" or "System.DateTime" => "a date and time in ISO 8601 (2026-12-28T10:00:00Z)",
            "TimeSpan" or "System.TimeSpan" => "a duration (hh:mm:ss)",
            "string" or "String" or "System.String" => "a string",
            _ => EnumOrObject(name),
        };
    }

    private static string Unwrap(string name)
    {
        // Nullable<int>, int?, System.Nullable`1[System.Int32]
        if (NullableType().Match(name) is { Success: true } nullable)
        {
            return nullable.Groups["inner"].Value;
        }

        return name.EndsWith('?') ? name[..^1] : name;
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> EnumOrObjectKinds = new(StringComparer.Ordinal);

    // Our own enums are named by their values (they are the API's words); any other type of ours is "an object".
    private static string EnumOrObject(string name) => EnumOrObjectKinds.Count < 1000
        ? EnumOrObjectKinds.GetOrAdd(name, FindEnumOrObject)
        : FindEnumOrObject(name);

    private static string FindEnumOrObject(string name)
    {
        var type = AppDomain.CurrentDomain.GetAssemblies()
            .Where(assembly => assembly.GetName().Name?.StartsWith("Ticketing", StringComparison.Ordinal) == true)
            .SelectMany(assembly => SafeTypes(assembly))
            .FirstOrDefault(candidate => candidate.FullName == name || candidate.Name == name);
        return type is { IsEnum: true }
            ? $"one of {string.Join(", ", Enum.GetNames(type))}"
            : "an object";
    }

    private static IEnumerable<Type> SafeTypes(System.Reflection.Assembly assembly)
    {
        try
        {
            return assembly.GetTypes();
        }
        catch (System.Reflection.ReflectionTypeLoadException loadException)
        {
            return loadException.Types.OfType<Type>();
        }
    }

    [GeneratedRegex("^Failed to bind parameter \"(?<type>.+) (?<name>[^ \"]+)\" from \"(?<value>.*)\"\\.$", RegexOptions.Singleline)]
    private static partial Regex BindFailed();

    [GeneratedRegex("^Required parameter \"(?<type>.+) (?<name>[^ \"]+)\" was not provided from (?<source>[^.]+)\\.$", RegexOptions.Singleline)]
    private static partial Regex RequiredMissing();

    [GeneratedRegex("could not be converted to (?<type>[^ ]+?)\\. Path:", RegexOptions.Singleline)]
    private static partial Regex ConvertFailed();

    [GeneratedRegex("^(System\\.)?Nullable(<|`1\\[)(?<inner>[^\\]>]+)(>|\\])$")]
    private static partial Regex NullableType();

    [GeneratedRegex("(IReadOnlyList|IList|List|IEnumerable|ICollection|IReadOnlyCollection)(<|`1\\[)")]
    private static partial Regex ListType();
}
