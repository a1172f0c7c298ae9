using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Yarp.ReverseProxy.LoadBalancing;
using Yarp.ReverseProxy.Model;

namespace Ticketing.Gateway.Routing;

/// <summary>
/// Sends every request about one concert (a route with a <c>concertId</c>) to the same instance, and the rest to
/// the less busy of two instances drawn at random (as YARP's <c>PowerOfTwoChoices</c>). Tickets decides a concert's holds in one lane per instance, from that instance's
/// seat chart; two instances deciding holds for one concert race for the same rows, and a fan whose hold lost the
/// race too often is refused seats that were free. One instance per concert makes its lane the only writer.
/// The instance is chosen by rendezvous hashing (the highest hash of concert and destination wins), so when an
/// instance fails health checks only its concerts move, each to the next in its own order, and they come back
/// when it does.
/// </summary>
internal sealed class ConcertAffinityPolicy : ILoadBalancingPolicy
{
    public const string PolicyName = "ConcertAffinity";

    public string Name => PolicyName;

    public DestinationState? PickDestination(HttpContext context, ClusterState cluster, IReadOnlyList<DestinationState> availableDestinations)
    {
        if (availableDestinations.Count <= 1)
        {
            return availableDestinations.Count == 0 ? null : availableDestinations[0];
        }

        if (context.Request.RouteValues["concertId"] is string concertId)
        {
            return availableDestinations.MaxBy(destination => Weight(concertId, destination.DestinationId));
        }

        // Power of two choices: of two destinations drawn at random, the one with fewer requests in flight.
        var first = Random.Shared.Next(availableDestinations.Count);
        var second = (first + 1 + Random.Shared.Next(availableDestinations.Count - 1)) % availableDestinations.Count;
        return availableDestinations[first].ConcurrentRequestCount <= availableDestinations[second].ConcurrentRequestCount
            ? availableDestinations[first]
            : availableDestinations[second];
    }

    /// <summary>A stable 64-bit hash of the pair (the same in every gateway instance and after restarts).</summary>
    public static ulong Weight(string concertId, string destinationId) =>
        BinaryPrimitives.ReadUInt64LittleEndian(SHA256.HashData(Encoding.UTF8.GetBytes($"{concertId.ToLowerInvariant()}|{destinationId}")));
}
