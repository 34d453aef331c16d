namespace SmsHall.Replay;

/// <summary>The three kinds of input replay reads.</summary>
public enum InputFormat
{
    /// <summary><c>smshall log export</c> JSON Lines.</summary>
    Log,

    /// <summary>The Twilio Console's message log CSV export.</summary>
    TwilioCsv,

    /// <summary>Hand-written conversation scripts, <c>*.sms</c>.</summary>
    Script,
}

/// <summary>One input file and its format, given with <c>--format</c> or told from its name and first line.</summary>
public sealed class ReplayInput
{
    private ReplayInput(string path, InputFormat format)
    {
        Path = path;
        Format = format;
    }

    public string Path { get; }

    public InputFormat Format { get; }

    /// <summary>The file name as reports show it.</summary>
    public string Name => System.IO.Path.GetFileName(Path);

    public static ReplayInput Open(string path, InputFormat? format)
    {
        if (!File.Exists(path)) throw new BadInputException(path, 0, "no such file");
        return new ReplayInput(path, format ?? Detect(path));
    }

    /// <summary>The file's turns, read as they are replayed.</summary>
    public IEnumerable<Turn> Turns(BadLines bad, DateTimeOffset startedAt, string scratchDirectory, Action<double> progress)
    {
        using var stream = new FileStream(Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1 << 16);
        var length = Math.Max(1, stream.Length);
        // Logs and scripts are read line by line, each line strictly UTF-8; the CSV reader keeps its StreamReader.
        var turns = Format switch
        {
            InputFormat.Log => LogReader.Read(Utf8Lines.Read(stream, Path, bad), Path, bad),
            InputFormat.TwilioCsv => TwilioCsvReader.Read(new StreamReader(stream), Path, scratchDirectory, bad),
            _ => ScriptReader.Read(Utf8Lines.Read(stream, Path, bad), Path, startedAt, bad),
        };
        foreach (var turn in turns)
        {
            progress((double)stream.Position / length);
            yield return turn;
        }
        progress(1);
    }

    private static InputFormat Detect(string path)
    {
        switch (System.IO.Path.GetExtension(path).ToLowerInvariant())
        {
            case ".jsonl" or ".ndjson" or ".json": return InputFormat.Log;
            case ".csv": return InputFormat.TwilioCsv;
            case ".sms": return InputFormat.Script;
        }
        using var reader = new StreamReader(path);
        var number = 0;
        while (reader.ReadLine() is { } line)
        {
            number++;
            var text = line.TrimStart('\uFEFF').Trim();
            if (text.Length == 0) continue;
            if (text.StartsWith('{')) return InputFormat.Log;
            if (text[0] is '#' or '@' or '+') return InputFormat.Script;
            if (text.Contains("Direction", StringComparison.OrdinalIgnoreCase)) return InputFormat.TwilioCsv;
            throw new BadInputException(path, number,
                "cannot tell the format: expected smshall log export JSON Lines, a Twilio message log CSV or a *.sms script (or give --format)");
        }
        throw new BadInputException(path, 1, "the file is empty");
    }
}
