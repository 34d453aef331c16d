// smshall: one executable for the gateway (serve, the default) and the operators' tools
// (text, parse, db). Everything is wired in Gateway.cs.

// Text comes and goes as UTF-8 whatever the locale says: under an ISO-8859-1 locale, Chinese and
// Persian piped into `smshall parse` would otherwise be read as Latin-1 and misunderstood.
Console.InputEncoding = new System.Text.UTF8Encoding(false);
Console.OutputEncoding = new System.Text.UTF8Encoding(false);
return await SmsHall.Cli.Cli.RunAsync(args);
