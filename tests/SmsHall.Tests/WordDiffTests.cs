namespace SmsHall.Tests;

/// <summary>What the replay report and the console's preview mark as changed in a reply.</summary>
public class WordDiffTests
{
    private static string Changed(IReadOnlyList<DiffPiece> pieces) => string.Concat(pieces.Where(p => p.Changed).Select(p => p.Text));

    [Fact]
    public void OnlyTheWordsThatDifferAreMarked()
    {
        var (old, now) = WordDiff.Of("Your balance is $12.50, valid until 2026-12-22.", "Your credit is $12.50, valid until 2026-12-22.");
        Assert.Equal("balance", Changed(old));
        Assert.Equal("credit", Changed(now));
    }

    [Fact]
    public void ChineseIsComparedCharacterByCharacter()
    {
        var (old, now) = WordDiff.Of("您的余额为$12.50，有效期至2026-12-22。", "您的话费为$12.50，有效期至2026-12-22。");
        Assert.Equal("余额", Changed(old));
        Assert.Equal("话费", Changed(now));
    }
}
