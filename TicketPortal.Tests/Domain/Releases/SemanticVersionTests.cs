using TicketPortal.Domain;
using TicketPortal.Domain.Releases;

namespace TicketPortal.Tests.Domain.Releases;

public class SemanticVersionTests
{
    // semver.org, section 11: each version has lower precedence than the next.
    private static readonly string[] PrecedenceChain =
    [
        "1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta", "1.0.0-beta.2", "1.0.0-beta.11", "1.0.0-rc.1", "1.0.0",
    ];

    public static TheoryData<string, string> AdjacentPairs()
    {
        var pairs = new TheoryData<string, string>();
        foreach (var (lower, higher) in PrecedenceChain.Zip(PrecedenceChain.Skip(1)))
        {
            pairs.Add(lower, higher);
        }
        return pairs;
    }

    [Theory]
    [InlineData("1.4.0", 1, 4, 0, "", "")]
    [InlineData("0.0.0", 0, 0, 0, "", "")]
    [InlineData("10.20.30", 10, 20, 30, "", "")]
    [InlineData("1.2.3-rc.1", 1, 2, 3, "rc.1", "")]
    [InlineData("1.2.3+build", 1, 2, 3, "", "build")]
    [InlineData("1.2.3-beta.2+exp.sha.5114f85", 1, 2, 3, "beta.2", "exp.sha.5114f85")]
    [InlineData(" 2.0.0 ", 2, 0, 0, "", "")]
    public void Parse_ValidVersion_GivesItsParts(string text, int major, int minor, int patch, string preRelease, string build)
    {
        var version = SemanticVersion.Parse(text);

        Assert.Equal((major, minor, patch, preRelease, build), (version.Major, version.Minor, version.Patch, version.PreRelease, version.Build));
    }

    [Theory]
    [InlineData("1.2.3-rc.1")]
    [InlineData("1.2.3+build")]
    [InlineData("1.2.3-beta.2+exp.sha.5114f85")]
    public void ToString_GivesBackTheParsedText(string text)
    {
        var version = SemanticVersion.Parse(text);

        Assert.Equal(text, version.ToString());
    }

    [Theory]
    [InlineData("1.4")]
    [InlineData("1")]
    [InlineData("01.2.3")]
    [InlineData("1.02.3")]
    [InlineData("1.2.03")]
    [InlineData("1.2.3-01")]
    [InlineData("1.2.3-")]
    [InlineData("1.2.3+")]
    [InlineData("1.2.3-rc..1")]
    [InlineData("v1.2.3")]
    [InlineData("1.2.3.4")]
    [InlineData("1.2.3-rc_1")]
    [InlineData("")]
    [InlineData(null)]
    public void TryParse_InvalidVersion_IsRefused(string? text)
    {
        var parsed = SemanticVersion.TryParse(text, out _);

        Assert.False(parsed);
    }

    [Fact]
    public void Parse_InvalidVersion_ThrowsAnInvalidDomainError()
    {
        var error = Assert.Throws<DomainException>(() => SemanticVersion.Parse("1.4"));

        Assert.Equal(DomainErrorKind.Invalid, error.Kind);
        Assert.Contains("'1.4'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(AdjacentPairs))]
    public void Precedence_FollowsTheSemVerExampleChain(string lower, string higher)
    {
        var a = SemanticVersion.Parse(lower);
        var b = SemanticVersion.Parse(higher);

        Assert.True(a < b, $"{lower} < {higher}");
        Assert.True(b > a, $"{higher} > {lower}");
        Assert.True(a.CompareTo(b) < 0 && b.CompareTo(a) > 0);
    }

    [Fact]
    public void Sorting_ShuffledChain_GivesTheSemVerOrder()
    {
        var shuffled = PrecedenceChain.Reverse().Select(SemanticVersion.Parse).ToList();

        var sorted = shuffled.Order().Select(v => v.ToString());

        Assert.Equal(PrecedenceChain, sorted);
    }

    [Theory]
    [InlineData("1.9.0", "1.10.0")]
    [InlineData("1.10.0", "2.0.0")]
    [InlineData("2.0.0", "2.0.1")]
    [InlineData("2.1.0-rc.1", "2.1.0")]
    public void Precedence_ComparesNumbersNumerically(string lower, string higher)
    {
        var comparison = SemanticVersion.Parse(lower).CompareTo(SemanticVersion.Parse(higher));

        Assert.True(comparison < 0);
    }

    [Fact]
    public void Precedence_IgnoresBuildMetadata()
    {
        var withBuild = SemanticVersion.Parse("1.2.3+build.7");
        var without = SemanticVersion.Parse("1.2.3");

        var comparison = withBuild.CompareTo(without);

        Assert.Equal(0, comparison);
        Assert.True(withBuild <= without && withBuild >= without);
    }
}
