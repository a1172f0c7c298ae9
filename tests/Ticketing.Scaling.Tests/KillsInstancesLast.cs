using Xunit.Sdk;

namespace Ticketing.Scaling.Tests;

/// <summary>A test that kills instances of the shared platform: <see cref="KillsInstancesLast"/> runs it after the others.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class KillsInstancesAttribute : Attribute;

/// <summary>
/// Orders a class's tests by name, those marked <see cref="KillsInstancesAttribute"/> last, so that every other test
/// sees both instances of every service alive.
/// </summary>
public sealed class KillsInstancesLast : ITestCaseOrderer
{
    public const string TypeName = "Ticketing.Scaling.Tests.KillsInstancesLast";
    public const string AssemblyName = "Ticketing.Scaling.Tests";

    public IEnumerable<TTestCase> OrderTestCases<TTestCase>(IEnumerable<TTestCase> testCases)
        where TTestCase : ITestCase =>
        testCases
            .OrderBy(testCase => testCase.TestMethod.Method.GetCustomAttributes(typeof(KillsInstancesAttribute)).Any())
            .ThenBy(testCase => testCase.TestMethod.Method.Name, StringComparer.Ordinal);
}
