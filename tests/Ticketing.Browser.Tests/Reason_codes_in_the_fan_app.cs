using System.Reflection;
using Ticketing.Contracts.Orders;
using Ticketing.Queue.Entries;
using Ticketing.Queue.LuckyDraws;
using Ticketing.ServiceDefaults.Security;
using Ticketing.Tickets.Holds;
using Ticketing.Tickets.Ledger;

namespace Ticketing.Browser.Tests;

/// <summary>
/// Every <c>reason</c> code a fan can meet (a refused hold or release, a waiting room, a lucky draw, a cancelled order,
/// a ticket at the gate) has words in the fan app: <c>reason.{code}</c> in its English catalog. The app's build
/// (scripts/check-messages.mjs) holds every other language to English's keys, so each code is worded in all seven.
/// </summary>
public sealed class Reason_codes_in_the_fan_app
{
    public static TheoryData<string> ReasonCodes()
    {
        var data = new TheoryData<string>();
        foreach (var code in new[]
            {
                typeof(HoldRefusalReasons), typeof(QueueReasons), typeof(LuckyDrawReasons), typeof(OrderCancellationReasons), typeof(CheckInRefusals),
            }
            .SelectMany(type => type.GetFields(BindingFlags.Public | BindingFlags.Static))
            .Where(field => field.IsLiteral && field.FieldType == typeof(string))
            .Select(field => (string)field.GetRawConstantValue()!)
            .Append(AdmissionPasses.AdmissionRequiredReason)
            .Distinct())
        {
            data.Add(code);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ReasonCodes))]
    public void Has_words_in_the_fan_app(string code)
    {
        var catalog = Path.Combine(FanAppFixture.RepositoryRoot(), "gateway", "clients", "fan", "src", "i18n", "messages", "en.json");
        using var english = JsonDocument.Parse(File.ReadAllText(catalog));
        Assert.True(english.RootElement.TryGetProperty($"reason.{code}", out var words) && words.GetString()!.Length > 0,
            $"reason {code} has no message reason.{code} in gateway/clients/fan/src/i18n/messages/en.json");
    }
}
