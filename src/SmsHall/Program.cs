// smshall: one executable for the gateway (serve, the default) and the operators' tools
// (text, parse, db). Everything is wired in Gateway.cs.
return await SmsHall.Cli.Cli.RunAsync(args);
