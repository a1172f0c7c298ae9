namespace Ticketing.ServiceDefaults.Security;

/// <summary>The roles a token carries (claim <c>role</c>) and the authorization policies built on them.</summary>
public static class Policies
{
    public const string FanRole = "fan";
    public const string OperatorRole = "operator";

    /// <summary>A signed-in fan: holds seats, checks out, reads their own holds, orders and tickets.</summary>
    public const string Fan = "fan";

    /// <summary>An operator: writes the catalog, cancels and refunds orders, checks tickets in, sees everything.</summary>
    public const string Operator = "operator";

    /// <summary>A fan reading their own hold or order, or an operator reading anyone's.</summary>
    public const string FanOrOperator = "fan-or-operator";

    public static bool IsRole(string? role) => role is FanRole or OperatorRole;
}
