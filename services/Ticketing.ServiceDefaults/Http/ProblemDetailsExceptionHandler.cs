using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;

namespace Ticketing.ServiceDefaults.Http;

/// <summary>
/// Turns every unhandled exception into an RFC 7807 answer without a stack trace: a request the framework could not
/// read becomes a 4xx naming the field in the client's terms (<see cref="BadRequestDescriptions"/>), anything else 500
/// with only the trace id to quote.
/// </summary>
public sealed partial class ProblemDetailsExceptionHandler(
    IProblemDetailsService problemDetails,
    ILogger<ProblemDetailsExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        var problem = exception switch
        {
            BadHttpRequestException bad => Problem(BadRequestDescriptions.Describe(bad)),
            OperationCanceledException when context.RequestAborted.IsCancellationRequested => null,
            _ => new ProblemDetails
            {
                Status = StatusCodes.Status500InternalServerError,
                Title = "Something went wrong on our side",
                Detail = "The error was logged; quote the trace id when you report it.",
            },
        };

        if (problem is null)
        {
            return true; // the client went away; nobody is left to answer
        }

        if (problem.Status >= 500)
        {
            LogUnhandled(logger, exception, context.Request.Method, context.Request.Path);
        }

        context.Response.StatusCode = problem.Status ?? 500;
        return await problemDetails.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = problem,
            Exception = exception,
        });
    }

    private static ProblemDetails Problem(BadRequestDescription description) => description.Errors is { } errors
        ? new HttpValidationProblemDetails(errors) { Status = description.Status, Title = description.Title, Detail = description.Detail }
        : new ProblemDetails { Status = description.Status, Title = description.Title, Detail = description.Detail };

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled exception on {Method} {Path}")]
    private static partial void LogUnhandled(ILogger logger, Exception exception, string method, string path);
}
