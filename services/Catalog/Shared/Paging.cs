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

    public static void Validate(ValidationErrors errors, int? page, int? pageSize)
    {
        if (page is < 1)
        {
            errors.Add("page", "Pages start at 1.");
        }

        if (pageSize is < 1 or > MaxPageSize)
        {
            errors.Add("pageSize", $"Must be between 1 and {MaxPageSize}.");
        }
    }
}
