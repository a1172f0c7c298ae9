namespace Ticketing.Catalog.Shared;

/// <summary>One page of a list, with what a client needs to ask for the next.</summary>
public sealed record PagedResponse<T>(IReadOnlyList<T> Items, int Page, int PageSize, long TotalCount)
{
    public bool HasNextPage => (long)Page * PageSize < TotalCount;
}

public static class Paging
{
    public const int DefaultPageSize = 20;
    public const int MaxPageSize = 100;

    /// <summary>
    /// The last page anyone may ask for: 10,000 pages of up to 100 is a million items, more than any list here holds, and
    /// the row offset (page - 1) x pageSize stays far from overflowing the 32-bit offset the query is built with.
    /// </summary>
    public const int MaxPage = 10_000;

    public static void Validate(ValidationErrors errors, int? page, int? pageSize)
    {
        if (page is < 1 or > MaxPage)
        {
            errors.Add("page", $"Pages go from 1 to {MaxPage:N0}.");
        }

        if (pageSize is < 1 or > MaxPageSize)
        {
            errors.Add("pageSize", $"Must be between 1 and {MaxPageSize}.");
        }
    }
}
