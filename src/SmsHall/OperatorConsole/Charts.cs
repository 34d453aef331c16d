namespace SmsHall.OperatorConsole;

/// <summary>
/// A bar chart drawn as inline SVG by Pages/Shared/_BarChart.cshtml: a handful of rectangles, so the
/// console needs no chart library and no script (OxyPlot.Core could export SVG, but a fixed-size
/// document with its own fonts, for a few bars).
/// </summary>
public sealed record BarChart(string Id, string Title, IReadOnlyList<(string Label, long Value)> Bars)
{
    public const double Width = 600, Height = 140, Bottom = 18;

    public long Max => Math.Max(1, Bars.Count == 0 ? 0 : Bars.Max(b => b.Value));

    public double BarWidth => Width / Math.Max(1, Bars.Count);

    public double BarHeight(long value) => (Height - Bottom - 12) * value / Max;

    /// <summary>Every how many bars a label fits under the axis.</summary>
    public int LabelEvery => Math.Max(1, (int)Math.Ceiling(Bars.Count / 8.0));
}

/// <summary>One bar split in parts (the outcomes of a window's messages), drawn by Pages/Shared/_StackedBar.cshtml.</summary>
public sealed record StackedBar(string Id, IReadOnlyList<(string Label, long Value, string Colour)> Parts)
{
    public long Total => Parts.Sum(p => p.Value);
}
