using SmsHall.Core.Grammar;
using SmsHall.Core.Text;

namespace SmsHall.Core.Commands.Plan;

/// <summary>What a word after PLAN, CHANGE PLAN or SWITCH TO names.</summary>
public static class PlanNames
{
    /// <summary>Plan codes are echoed in replies, so a word longer than this is not taken for one.</summary>
    private const int Longest = 20;

    /// <summary>
    /// A plan the subscriber named: a known plan, or a known plan with a slip or two ("gld") when the
    /// word is no real word of a catalogue language ("god" is not GOLD). Null when it names none.
    /// A change is always confirmed with the exact plan named, so a slip is never applied silently.
    /// </summary>
    public static (string Plan, int Distance)? Known(string word, Arguments arguments)
    {
        if (!CouldBeAName(word)) return null;
        // No plans known (`smshall parse` without a database): the name as written, for the handler to check.
        if (arguments.Plans.Count == 0) return (word.ToUpperInvariant(), 0);
        var exact = arguments.Plans.FirstOrDefault(p => string.Equals(p, word, StringComparison.OrdinalIgnoreCase));
        if (exact is not null) return (exact, 0);
        if (arguments.IsWord(word)) return null;

        var limit = Math.Max(CommandGrammar.AllowedSlips(word), 1);
        var near = arguments.Plans.Select(p => (Plan: p, Distance: EditDistance.Between(word, p.ToLowerInvariant(), limit)))
            .Where(p => p.Distance <= limit).ToList();
        if (near.Count == 0) return null;
        var best = near.Min(p => p.Distance);
        var closest = near.Where(p => p.Distance == best).ToList();
        return closest.Count == 1 ? closest[0] : null;
    }

    /// <summary>Whether a word has the shape of a plan name (letters and digits, not too long), known or not.</summary>
    public static bool CouldBeAName(string word) => word.Length <= Longest && word.All(char.IsLetterOrDigit);

    /// <summary>Whether a word could be a plan code asked for that is not one: Latin letters and digits ("PLATINUM", not "个").</summary>
    public static bool CouldBeACode(string word) => word.Length <= Longest && word.All(char.IsAsciiLetterOrDigit);
}
