using SmsHall.Core.Tests;

namespace SmsHall.Bench;

/// <summary>
/// The grammar tests' corpus as plain messages: every case of understood.txt and not-understood.txt
/// (723 understood, 108 noise), read as the tests read them (CorpusFile is linked from the tests).
/// </summary>
public static class Corpus
{
    public static string[] Messages() =>
    [
        .. CorpusFile.Cases(Path("understood.txt")).Select(c => CorpusFile.Unescape(CorpusFile.MessageOf(c.Text))),
        .. CorpusFile.Cases(Path("not-understood.txt")).Select(c => CorpusFile.Unescape(c.Text)),
    ];

    private static string Path(string name) => Repository.File(System.IO.Path.Combine("tests", "SmsHall.Core.Tests", "Corpus", name));
}
