using BenchmarkDotNet.Running;
using SmsHall.Bench;

// smshall-bench bare [--urls …]        the bare endpoint: parse the form, check the signature, constant TwiML
// smshall-bench requests <options>     signed, varied Twilio forms for wrk (one request a line)
// smshall-bench delivery --smshall …   Rest-mode delivery against the Twilio stand-in, three cases (bench/delivery.sh)
// smshall-bench false-fires --smshall … commands fired by real chatter (bench/false-fires.sh)
// smshall-bench words --from … --out … a dictionary turned into the grammar's word list (src/SmsHall.Core/Text/Words/build.sh)
// smshall-bench [BenchmarkDotNet args] the grammar and reply benchmarks
return args.FirstOrDefault() switch
{
    "bare" => await BareEndpoint.RunAsync(args[1..]),
    "requests" => SignedRequests.Write(args[1..]),
    "delivery" => await DeliveryBenchmark.RunAsync(args[1..]),
    "false-fires" => await FalseFires.RunAsync(args[1..]),
    "words" => WordLists.Run(args[1..]),
    _ => Summaries(BenchmarkSwitcher.FromAssembly(typeof(GrammarBenchmarks).Assembly).Run(args)),
};

static int Summaries(IEnumerable<BenchmarkDotNet.Reports.Summary> summaries) =>
    summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)) ? 1 : 0;
