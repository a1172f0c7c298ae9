using Marten;

namespace Ticketing.ServiceDefaults.Persistence;

public static class DocumentColumns
{
    /// <summary>
    /// Gives documents of type <typeparamref name="TDocument"/> a column for <paramref name="member"/> without an index of
    /// its own, for the condition of a partial index (e.g. the deadlines of pending orders only). Marten's
    /// <c>Duplicate</c> always adds an index, and an index on a status that changes with every write adds an entry
    /// to it with every write while no query uses it.
    /// </summary>
    public static void ColumnWithoutIndex<TDocument>(this StoreOptions options, string member) =>
        options.Policies.ForAllDocuments(mapping =>
        {
            if (mapping.DocumentType == typeof(TDocument))
            {
                mapping.DuplicateField(member);
            }
        });

    /// <summary>
    /// The table of documents of type <typeparamref name="TDocument"/>, for a query in SQL that reads a partial index:
    /// its condition must be written out in the SQL. LINQ passes a status as a parameter, and a statement Npgsql has
    /// prepared (<c>Max Auto Prepare</c>) may get a generic plan, which cannot use a partial index.
    /// </summary>
    public static string TableOf<TDocument>(this IDocumentStore store) =>
        store.Options.FindOrResolveDocumentType(typeof(TDocument)).TableName.QualifiedName;
}
