namespace Ticketing.ServiceDefaults.Http;

/// <summary>
/// What text a request may carry. PostgreSQL cannot store NUL in text or jsonb, Npgsql cannot encode a lone UTF-16
/// surrogate, and no name, title or filter of ours has a use for control characters: such text is refused at the edge
/// with a 400 naming the field, before it reaches a query or an append (where it would fail a whole group commit).
/// Tab, line feed and carriage return stay allowed, for descriptions and reasons.
/// </summary>
public static class RequestText
{
    public const string Problem = "Must not contain control characters (such as NUL) or broken Unicode.";

    /// <summary>Whether <paramref name="value"/> holds nothing but printable text (and tab, line feed, carriage return).</summary>
    public static bool IsClean(ReadOnlySpan<char> value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsControl(c) && c is not ('\t' or '\n' or '\r'))
            {
                return false;
            }

            if (char.IsHighSurrogate(c))
            {
                if (i + 1 >= value.Length || !char.IsLowSurrogate(value[i + 1]))
                {
                    return false;
                }

                i++;
            }
            else if (char.IsLowSurrogate(c))
            {
                return false;
            }
        }

        return true;
    }
}
