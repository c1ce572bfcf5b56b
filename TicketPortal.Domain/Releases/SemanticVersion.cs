using System.Globalization;
using System.Text.RegularExpressions;

namespace TicketPortal.Domain.Releases;

/// <summary>A SemVer 2.0.0 version (1.4.0, 2.0.0-rc.1, 1.0.0+build.5), ordered by SemVer precedence.</summary>
public sealed partial record SemanticVersion : IComparable<SemanticVersion>
{
    private SemanticVersion(int major, int minor, int patch, string preRelease, string build)
    {
        (Major, Minor, Patch, PreRelease, Build) = (major, minor, patch, preRelease, build);
    }

    /// <summary>Longer versions are refused: the version names a file, a tag and a database column.</summary>
    public const int MaxLength = 100;

    public int Major { get; }
    public int Minor { get; }
    public int Patch { get; }
    public string PreRelease { get; }
    public string Build { get; }

    public static SemanticVersion Parse(string? text) =>
        TryParse(text, out var version)
            ? version
            : throw DomainException.Invalid($"version: '{text}' is not a semantic version such as 1.4.0 or 2.0.0-rc.1 (see semver.org), of at most {MaxLength} characters.");

    public static bool TryParse(string? text, out SemanticVersion version)
    {
        version = null!;
        var match = text is null || text.Trim().Length > MaxLength ? null : Pattern().Match(text.Trim());
        if (match is not { Success: true }
            || !int.TryParse(match.Groups["major"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var major)
            || !int.TryParse(match.Groups["minor"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var minor)
            || !int.TryParse(match.Groups["patch"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var patch))
        {
            return false;
        }
        version = new SemanticVersion(major, minor, patch, match.Groups["pre"].Value, match.Groups["build"].Value);
        return true;
    }

    public override string ToString() =>
        $"{Major}.{Minor}.{Patch}{(PreRelease.Length > 0 ? "-" + PreRelease : "")}{(Build.Length > 0 ? "+" + Build : "")}";

    /// <summary>SemVer precedence: build metadata is ignored, a pre-release comes before its release.</summary>
    public int CompareTo(SemanticVersion? other)
    {
        if (other is null)
        {
            return 1;
        }
        var core = (Major, Minor, Patch).CompareTo((other.Major, other.Minor, other.Patch));
        if (core != 0 || PreRelease == other.PreRelease)
        {
            return core;
        }
        if (PreRelease.Length == 0 || other.PreRelease.Length == 0)
        {
            return PreRelease.Length == 0 ? 1 : -1;
        }
        var mine = PreRelease.Split('.');
        var theirs = other.PreRelease.Split('.');
        foreach (var (a, b) in mine.Zip(theirs))
        {
            var order = ComparePart(a, b);
            if (order != 0)
            {
                return order;
            }
        }
        return mine.Length.CompareTo(theirs.Length);
    }

    public static bool operator <(SemanticVersion? left, SemanticVersion? right) => Compare(left, right) < 0;

    public static bool operator <=(SemanticVersion? left, SemanticVersion? right) => Compare(left, right) <= 0;

    public static bool operator >(SemanticVersion? left, SemanticVersion? right) => Compare(left, right) > 0;

    public static bool operator >=(SemanticVersion? left, SemanticVersion? right) => Compare(left, right) >= 0;

    private static int Compare(SemanticVersion? left, SemanticVersion? right) => left is null ? (right is null ? 0 : -1) : left.CompareTo(right);

    private static int ComparePart(string a, string b)
    {
        var aNumeric = long.TryParse(a, NumberStyles.None, CultureInfo.InvariantCulture, out var x);
        var bNumeric = long.TryParse(b, NumberStyles.None, CultureInfo.InvariantCulture, out var y);
        return (aNumeric, bNumeric) switch
        {
            (true, true) => x.CompareTo(y),
            (true, false) => -1,
            (false, true) => 1,
            (false, false) => string.CompareOrdinal(a, b),
        };
    }

    // semver.org's recommended expression: no leading zeros, dot-separated identifiers.
    [GeneratedRegex(@"^(?<major>0|[1-9][0-9]{0,8})\.(?<minor>0|[1-9][0-9]{0,8})\.(?<patch>0|[1-9][0-9]{0,8})(?:-(?<pre>(?:0|[1-9][0-9]*|[0-9]*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9][0-9]*|[0-9]*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+(?<build>[0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
