using System.Security.Cryptography;
using System.Text;

namespace Ticketing.Queue.Operations;

/// <summary>
/// One-time membership codes of a presale. Only their SHA-256 is stored (and logged in the stream), so the
/// service's database does not hold codes someone could use; codes are compared without case.
/// </summary>
public static class MembershipCodes
{
    public static bool IsWellFormed(string code) =>
        code.Length is >= 4 and <= Entries.EntriesApi.MaxCodeLength && code.All(c => char.IsAsciiLetterOrDigit(c) || c == '-');

    public static string Hash(string code) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(code.Trim().ToUpperInvariant())));
}
