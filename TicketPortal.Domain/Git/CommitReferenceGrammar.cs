using System.Buffers;
using System.Globalization;
using System.Text.RegularExpressions;
using TicketPortal.Domain.Tickets;

namespace TicketPortal.Domain.Git;

public enum ReferenceAction
{
    Refer,
    Close,
    Reopen,
}

/// <summary>A ticket a commit names; numbers are global, the key is kept as written (the first one written for that number).</summary>
public sealed record CommitReference(int Number, string? ProjectKey, ReferenceAction Action);

/// <summary>What one commit message says: tickets in first-mention order, the first time token, and the commit it reverts or copies.</summary>
public sealed record ParsedCommit(IReadOnlyList<CommitReference> References, TimeSpan? TimeSpent, string? RevertedCommit, string? CherryPickedFrom);

/// <summary>
/// Reads ticket references, time spent and revert/cherry-pick origins out of commit messages, the union of what GitHub,
/// GitLab, Gitea and Redmine accept. Fenced code, code spans, quoted (<c>&gt;</c>) lines and the quoted subject of a revert
/// say nothing; a mention without a keyword refers; a negated keyword (<c>doesn't fix #4</c>) names nothing.
/// </summary>
public sealed class CommitReferenceGrammar
{
    private const string Number = "(?<num>[1-9][0-9]{0,9})";
    private const string Separator = @"\s*(?:[,;&]\s*(?:and\s+)?|and\s+)";
    // Any other URL is taken from its '://' to the next space so that its '#12' fragments and 'SUP-12' paths are not mentions.
    private const string OtherUrl = @"://\S+";
    // Only the shape of a time token; Duration reads it. Keeping the full time grammar out of _tokens keeps its scan fast.
    private const string TimeToken = @"\B@(?<time>[0-9](?:[0-9.:dhm]*[0-9dhm])?)(?![\w@]|[.:]\w)";
    private const string Decimal = @"[0-9]{1,3}(?:\.[0-9]{1,2})?";
    private const string RevertSubject = "Revert \"";
    private const string ReapplySubject = "Reapply \"";
    private const string RevertLine = "This reverts commit ";
    private const string CherryPickLine = "(cherry picked from commit ";

    private const RegexOptions Options = RegexOptions.Compiled | RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture;
    private static readonly TimeSpan MatchTimeout = TimeSpan.FromSeconds(2);
    private static readonly Regex DurationPattern = new(
        $@"\A(?:(?<h>[0-9]{{1,3}}):(?<m>[0-5][0-9])|(?:(?<d>{Decimal})d)?(?:(?<h>{Decimal})h)?(?:(?<m>[0-9]{{1,4}})m)?)\z", Options, MatchTimeout);
    private static readonly SearchValues<char> Anchors = SearchValues.Create("#@-:");
    private static readonly SearchValues<char> Hex = SearchValues.Create("0123456789abcdef");
    private static readonly SearchValues<char> WordLetters = SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'’");
    private static readonly string[] Negations =
    [
        "not", "never", "cannot",
        .. from stem in new[] { "do", "does", "did", "is", "was", "has", "have", "had", "wo", "ca" } from apostrophe in "'’" select $"{stem}n{apostrophe}t",
    ];

    private readonly Regex _tokens;
    private readonly int _hoursPerDay;

    /// <param name="portalUrl">Where the portal runs; its <c>{portalUrl}/tickets/123</c> links are references, other hosts' are not.</param>
    /// <param name="projectKeys">The keys to accept in <c>SUP-123</c>; without them any 2-10 capital letters are a key, so <c>UTF-8</c> refers to ticket 8.</param>
    public CommitReferenceGrammar(ReferenceKeywords keywords, string? portalUrl = null, IReadOnlyCollection<string>? projectKeys = null)
    {
        var link = PortalLink(portalUrl);
        var hash = $@"\B\#{Number}(?!\w)";
        var keyed = $@"(?-i:(?<key>{(projectKeys is null ? "[A-Z]{2,10}" : Alternation(projectKeys.Select(ValidKey)))}))-{Number}(?!\w|-\w)";
        var item = $@"(?:{link}|{hash}|\b{keyed})";
        var clause = $@"(?<keyword>(?<close>{Alternation(keywords.Closing)})|(?<reopen>{Alternation(keywords.Reopening)})|(?<refer>{Alternation(keywords.Referencing)}))\b"
            + $@"\s*(?::\s*)?(?:(?:issues?|tickets?)\s+)?{item}(?:{Separator}{item})*";
        // Every branch starts at a word boundary or a rare character and has no look-behind, which lets the engine skip ahead fast;
        // negations are checked in code for the same reason.
        _tokens = new Regex($@"\b(?:{clause}|{link}|{keyed})|{hash}|{OtherUrl}|{TimeToken}", Options, MatchTimeout);
        _hoursPerDay = keywords.HoursPerDay;
    }

    public ParsedCommit Parse(string message)
    {
        var found = new Findings();
        var fence = (Mark: '\0', Length: 0);
        for (var start = 0; start <= message.Length;)
        {
            var end = message.IndexOf('\n', start);
            end = end < 0 ? message.Length : end;
            var line = message.AsSpan(start, end - start).TrimEnd('\r');
            var text = line.TrimStart(' ');
            var indent = line.Length - text.Length;
            if (indent <= 3 && FenceRun(text) is { Mark: not '\0' } run)
            {
                fence = fence.Mark == '\0' ? run : fence.Mark == run.Mark && run.Length >= fence.Length ? ('\0', 0) : fence;
            }
            else if (fence.Mark == '\0' && !text.StartsWith('>'))
            {
                found.RevertedCommit ??= HashAfter(text, RevertLine);
                found.CherryPickedFrom ??= HashAfter(text, CherryPickLine);
                var from = start == 0 && (line.StartsWith(RevertSubject, StringComparison.Ordinal) || line.StartsWith(ReapplySubject, StringComparison.Ordinal))
                    ? start + line.LastIndexOf('"') + 1
                    : start;
                ScanLine(message, from, start + line.Length, ref found);
            }
            start = end + 1;
        }
        return new ParsedCommit(found.References ?? [], found.TimeSpent, found.RevertedCommit, found.CherryPickedFrom);
    }

    /// <summary>Scans a line around its code spans; a backtick run without a closing run of the same length is plain text.</summary>
    private void ScanLine(string message, int from, int end, ref Findings found)
    {
        for (var tick = message.IndexOf('`', from, end - from); tick >= 0;)
        {
            var length = message.AsSpan(tick, end - tick).IndexOfAnyExcept('`') is var n and >= 0 ? n : end - tick;
            var close = ClosingRun(message, tick + length, end, length);
            if (close >= 0)
            {
                ScanText(message, from, tick, ref found);
                from = close + length;
            }
            var next = close >= 0 ? close + length : tick + length;
            tick = next < end ? message.IndexOf('`', next, end - next) : -1;
        }
        ScanText(message, from, end, ref found);
    }

    private void ScanText(string message, int from, int end, ref Findings found)
    {
        if (!MayHoldToken(message.AsSpan(from, end - from)))
        {
            return;
        }
        for (var match = _tokens.Match(message, from, end - from); match.Success; match = match.NextMatch())
        {
            if (match.Groups["time"] is { Success: true } time)
            {
                found.TimeSpent ??= Duration(message, time.Index, time.Length);
                continue;
            }
            var action = match.Groups["close"].Success ? ReferenceAction.Close
                : match.Groups["reopen"].Success ? ReferenceAction.Reopen
                : ReferenceAction.Refer;
            if (match.Groups["keyword"].Success && IsNegated(message.AsSpan(from, match.Index - from)))
            {
                continue;
            }
            var keys = match.Groups["key"].Captures;
            var k = 0;
            foreach (Capture number in match.Groups["num"].Captures)
            {
                // A key capture belongs to the number right after its dash; '#12' and links have none.
                var key = k < keys.Count && keys[k].Index + keys[k].Length + 1 == number.Index ? keys[k++].Value : null;
                if (int.TryParse(number.ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
                {
                    found.Add(value, key, action);
                }
            }
        }
    }

    /// <summary>Every token has a '#', '@', '-' before a digit or '://'; most prose lines have none and skip the regex.</summary>
    private static bool MayHoldToken(ReadOnlySpan<char> text)
    {
        for (var at = text.IndexOfAny(Anchors); at >= 0; at = text.IndexOfAny(Anchors))
        {
            var rest = text[(at + 1)..];
            if (text[at] is '#' or '@' || (text[at] == '-' && rest.Length > 0 && char.IsAsciiDigit(rest[0])) || rest.StartsWith("//"))
            {
                return true;
            }
            text = rest;
        }
        return false;
    }

    /// <summary>A keyword whose previous word is not, never, cannot or an n't contraction is negated; "does not fix" is negated by its "not".</summary>
    private static bool IsNegated(ReadOnlySpan<char> before)
    {
        var text = before.TrimEnd();
        if (text.Length == before.Length)
        {
            return false;
        }
        var word = text[(text.LastIndexOfAnyExcept(WordLetters) + 1)..];
        foreach (var negation in Negations)
        {
            if (word.Equals(negation, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>2h, 2h30m, 30m, 1:30, 1.5h, 1d (a working day) and their sums; zero is no time spent.</summary>
    private TimeSpan? Duration(string message, int index, int length)
    {
        var parts = DurationPattern.Match(message, index, length);
        var minutes = parts.Success ? (Value(parts.Groups["d"]) * _hoursPerDay + Value(parts.Groups["h"])) * 60 + Value(parts.Groups["m"]) : 0;
        return minutes > 0 ? TimeSpan.FromSeconds(Math.Round(minutes * 60)) : null;
    }

    private static double Value(Group group) =>
        group.Success ? double.Parse(group.ValueSpan, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture) : 0;

    private static (char Mark, int Length) FenceRun(ReadOnlySpan<char> text)
    {
        var mark = text.Length > 0 && text[0] is '`' or '~' ? text[0] : '\0';
        var length = mark == '\0' ? 0 : text.IndexOfAnyExcept(mark) is var n and >= 0 ? n : text.Length;
        return length >= 3 ? (mark, length) : ('\0', 0);
    }

    private static int ClosingRun(string message, int from, int end, int length)
    {
        for (var tick = message.IndexOf('`', from, end - from); tick >= 0;)
        {
            var run = message.AsSpan(tick, end - tick).IndexOfAnyExcept('`') is var n and >= 0 ? n : end - tick;
            if (run == length)
            {
                return tick;
            }
            var next = tick + run;
            tick = next < end ? message.IndexOf('`', next, end - next) : -1;
        }
        return -1;
    }

    private static string? HashAfter(ReadOnlySpan<char> text, string prefix)
    {
        if (!text.StartsWith(prefix, StringComparison.Ordinal))
        {
            return null;
        }
        var rest = text[prefix.Length..];
        var length = rest.IndexOfAnyExcept(Hex) is var n and >= 0 ? n : rest.Length;
        return length is 40 or 64 ? rest[..length].ToString() : null;
    }

    private static string PortalLink(string? portalUrl)
    {
        if (portalUrl is null)
        {
            return "(?!)";
        }
        if (!Uri.TryCreate(portalUrl, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            throw DomainException.Invalid($"Portal URL '{portalUrl}' is not an http(s) address.");
        }
        var site = Regex.Escape(uri.Authority + uri.AbsolutePath.TrimEnd('/'));
        return $@"https?://{site}/tickets/{Number}(?:/|[?\#][\w.=&%-]*)?(?![\w/])";
    }

    private static string ValidKey(string key) =>
        Project.IsValidKey(key) ? key : throw DomainException.Invalid($"Project key '{key}' must be 2-10 capital letters.");

    /// <summary>Longest first, so that the engine rarely has to back out of a shorter word; an empty set matches nothing.</summary>
    private static string Alternation(IEnumerable<string> words) =>
        words.Any() ? string.Join('|', words.OrderByDescending(w => w.Length).Select(w => w.Replace(" ", @"\s+", StringComparison.Ordinal))) : "(?!)";

    private struct Findings
    {
        public List<CommitReference>? References;
        public TimeSpan? TimeSpent;
        public string? RevertedCommit;
        public string? CherryPickedFrom;

        /// <summary>One entry per number: a close or reopen outranks a mention, and between close and reopen the later one wins.</summary>
        public void Add(int number, string? key, ReferenceAction action)
        {
            References ??= [];
            for (var i = 0; i < References.Count; i++)
            {
                if (References[i] is var earlier && earlier.Number == number)
                {
                    References[i] = earlier with
                    {
                        ProjectKey = earlier.ProjectKey ?? key,
                        Action = action == ReferenceAction.Refer ? earlier.Action : action,
                    };
                    return;
                }
            }
            References.Add(new CommitReference(number, key, action));
        }
    }
}
