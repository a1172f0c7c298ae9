using System.Globalization;
using Ticketing.Bench.Holds;
using Ticketing.Bench.Infrastructure;
using Ticketing.Bench.MerchDrop;
using Ticketing.Bench.Queue;
using Ticketing.Bench.Reads;
using Ticketing.Bench.Stadium;
using Ticketing.Bench.Tokens;

// Benchmarks of the running system: Ticketing.Bench <benchmark> [--name value ...]; --help lists them.
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

return await BenchCommand.RunAsync([HoldsBenchmark.Definition, MerchDropBenchmark.Definition, StadiumBenchmark.Definition, ReadsBenchmark.Definition, QueueBenchmark.Definition, QueueSaleBenchmark.Definition, TokensBenchmark.Definition], args);
