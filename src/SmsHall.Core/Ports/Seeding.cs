namespace SmsHall.Core.Ports;

/// <summary>
/// Demo and load-test data: <c>smshall db seed</c>, <c>serve --demo</c>, replay's fresh database.
/// Rows that already exist are left alone.
/// </summary>
public interface ISeeding
{
    /// <summary>True when no subscriber is registered yet.</summary>
    bool IsEmpty();

    /// <summary>Adds the demo plans, subscribers, vouchers and bills (see <see cref="DemoData"/>); returns the subscribers added.</summary>
    int SeedDemo(DateOnly today);

    /// <summary>Adds <paramref name="count"/> synthetic subscribers (see <see cref="SyntheticSubscribers"/>); returns how many were added.</summary>
    int SeedSynthetic(int count, DateOnly today);
}
