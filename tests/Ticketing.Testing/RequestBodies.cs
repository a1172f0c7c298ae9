using System.Text.Json.Nodes;

namespace Ticketing.Testing;

/// <summary>Request bodies built from a common base and the fields of the case at hand.</summary>
public static class RequestBodies
{
    /// <summary><paramref name="body"/> as JSON, with the fields of <paramref name="more"/> added or replacing its own.</summary>
    public static JsonObject With(object body, object? more)
    {
        var json = JsonSerializer.SerializeToNode(body, JsonSerializerOptions.Web)!.AsObject();
        if (more is not null)
        {
            foreach (var (field, value) in JsonSerializer.SerializeToNode(more, JsonSerializerOptions.Web)!.AsObject())
            {
                json[field] = value?.DeepClone();
            }
        }

        return json;
    }
}
