using System.Text.Json;
using System.Text.Json.Serialization;

namespace Ticketing.ServiceDefaults.Http;

/// <summary>
/// Reads every JSON string of a request body through <see cref="RequestText.IsClean"/>: a NUL or another control
/// character, or a lone surrogate, fails the read with a <see cref="JsonException"/>, which the problem-details handler
/// answers with 400 naming the field (<c>title</c>, <c>priceTiers[0].name</c>). Writing is unchanged.
/// </summary>
public sealed class CleanStringConverter : JsonConverter<string>
{
    public override bool HandleNull => false;

    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            throw new JsonException(); // the handler describes it as "must be a string"
        }

        string value;
        try
        {
            value = reader.GetString()!;
        }
        catch (InvalidOperationException)
        {
            // An escaped lone surrogate (\ud800) cannot become a string.
            throw new JsonException(RequestText.Problem);
        }

        return RequestText.IsClean(value) ? value : throw new JsonException(RequestText.Problem);
    }

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);
}
