using Marten;
using Marten.Services;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Ticketing.ServiceDefaults.Persistence;

/// <summary>
/// Marten's command logging, with lost write races kept quiet. Marten's default logger writes every failed command as
/// an error with its SQL, including the version conflicts and duplicate inserts the services expect and handle (two
/// holds on one row, a repeated Idempotency-Key, a concurrent duplicate message): in a drop those drowned the real
/// errors. A failure that <see cref="Conflicts.IsConcurrencyConflict"/> recognises, or a cancelled command, is logged at
/// Debug without SQL; any other failure is still an error with its SQL and exception. Successful commands are not logged.
/// </summary>
public sealed partial class ConflictQuietMartenLogger(ILogger logger) : IMartenLogger, IMartenSessionLogger
{
    public IMartenSessionLogger StartSession(IQuerySession session) => this;

    public void SchemaChange(string sql) => LogSchemaChange(logger, sql);

    public void LogSuccess(NpgsqlCommand command)
    {
    }

    public void LogSuccess(NpgsqlBatch batch)
    {
    }

    public void LogFailure(NpgsqlCommand command, Exception ex) => LogFailure(ex, command.CommandText);

    public void LogFailure(NpgsqlBatch batch, Exception ex) =>
        LogFailure(ex, string.Join(";\n", Enumerable.Select<NpgsqlBatchCommand, string>(batch.BatchCommands, command => command.CommandText)));

    public void LogFailure(Exception ex, string message)
    {
        if (Conflicts.IsConcurrencyConflict(ex))
        {
            LogHandledConflict(logger, ex.GetType().Name);
        }
        else if (ex is OperationCanceledException || ex.InnerException is OperationCanceledException)
        {
            LogCancelled(logger);
        }
        else
        {
            LogCommandFailed(logger, ex, message);
        }
    }

    public void RecordSavedChanges(IDocumentSession session, IChangeSet commit)
    {
    }

    public void OnBeforeExecute(NpgsqlCommand command)
    {
    }

    public void OnBeforeExecute(NpgsqlBatch batch)
    {
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Marten applied a schema change:\n{Sql}")]
    private static partial void LogSchemaChange(ILogger logger, string sql);

    [LoggerMessage(Level = LogLevel.Debug, Message = "A write lost a race ({Conflict}); the caller handles it")]
    private static partial void LogHandledConflict(ILogger logger, string conflict);

    [LoggerMessage(Level = LogLevel.Debug, Message = "A database command was cancelled")]
    private static partial void LogCancelled(ILogger logger);

    [LoggerMessage(Level = LogLevel.Error, Message = "A database command failed:\n{Sql}")]
    private static partial void LogCommandFailed(ILogger logger, Exception exception, string sql);
}

/// <summary>Puts <see cref="ConflictQuietMartenLogger"/> in place of Marten's default logger.</summary>
internal sealed class ConflictQuietLogging(ILoggerFactory loggers) : IConfigureMarten
{
    public void Configure(IServiceProvider services, StoreOptions options) =>
        options.Logger(new ConflictQuietMartenLogger(loggers.CreateLogger("Marten")));
}
