using DiffPlex;

namespace SmsHall;

/// <summary>A piece of a text and whether the other text lacks it.</summary>
public readonly record struct DiffPiece(string Text, bool Changed);

/// <summary>
/// What differs between two short texts (replies), word by word — character by character in
/// Chinese, which has no spaces between words — for the replay report and the console.
/// </summary>
public static class WordDiff
{
    private static readonly char[] WordSeparators = [' ', '\n', ',', '.', ':', ';', '(', ')', '!', '?'];

    public static (IReadOnlyList<DiffPiece> Old, IReadOnlyList<DiffPiece> New) Of(string old, string @new)
    {
        var differ = new Differ();
        var diff = IsChinese(old) || IsChinese(@new)
            ? differ.CreateCharacterDiffs(old, @new, false)
            : differ.CreateWordDiffs(old, @new, false, WordSeparators);
        var deleted = new HashSet<int>();
        var inserted = new HashSet<int>();
        foreach (var block in diff.DiffBlocks)
        {
            for (var i = 0; i < block.DeleteCountA; i++) deleted.Add(block.DeleteStartA + i);
            for (var i = 0; i < block.InsertCountB; i++) inserted.Add(block.InsertStartB + i);
        }
        return (diff.PiecesOld.Select((p, i) => new DiffPiece(p, deleted.Contains(i))).ToList(),
            diff.PiecesNew.Select((p, i) => new DiffPiece(p, inserted.Contains(i))).ToList());
    }

    private static bool IsChinese(string text) => text.Any(c => c is >= '\u3400' and <= '\u9fff' or >= '\uf900' and <= '\ufaff');
}
