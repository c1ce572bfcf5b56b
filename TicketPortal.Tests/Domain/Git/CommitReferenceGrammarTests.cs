using TicketPortal.Domain;
using TicketPortal.Domain.Git;
using TicketPortal.Domain.Tickets;

namespace TicketPortal.Tests.Domain.Git;

public class CommitReferenceGrammarTests
{
    private const string Hash = "0123456789abcdef0123456789abcdef01234567";
    private const string OtherHash = "fedcba9876543210fedcba9876543210fedcba98";

    private static readonly CommitReferenceGrammar Grammar = new(ReferenceKeywords.Default, "https://support.example.com");

    /// <summary>Message, then the references expected in order, written "action ticket" and separated by commas ("" for none).</summary>
    public static TheoryData<string, string> Messages => new()
    {
        // every closing verb
        { "close #1", "close #1" },
        { "Closes #2", "close #2" },
        { "closed #3", "close #3" },
        { "Closing #4", "close #4" },
        { "fix #5", "close #5" },
        { "Fixes #6", "close #6" },
        { "fixed #7", "close #7" },
        { "Fixing #8", "close #8" },
        { "resolve #9", "close #9" },
        { "Resolves #10", "close #10" },
        { "resolved #11", "close #11" },
        { "resolving #12", "close #12" },
        { "implement #13", "close #13" },
        { "Implements #14", "close #14" },
        { "implemented #15", "close #15" },
        { "implementing #16", "close #16" },
        { "FIXES #17", "close #17" },
        { "fIxEd #18", "close #18" },

        // reopening verbs, "reopening" added to the three of Redmine
        { "reopen #1", "reopen #1" },
        { "Reopens #2", "reopen #2" },
        { "reopened #3", "reopen #3" },
        { "Reopening #4", "reopen #4" },

        // referencing words, "ref", "addresses" and "relates to" added to refs/references/see/re/part of
        { "refs #1", "refer #1" },
        { "ref #2", "refer #2" },
        { "References #3", "refer #3" },
        { "see #4", "refer #4" },
        { "Re: #5", "refer #5" },
        { "part of #6", "refer #6" },
        { "Part  of #7", "refer #7" },
        { "addresses #8", "refer #8" },
        { "relates to #9", "refer #9" },

        // keywords only on word boundaries; the mention still refers
        { "Suffix #1", "refer #1" },
        { "prefix #1", "refer #1" },
        { "unfixed #2", "refer #2" },
        { "fixesSUP-3", "" },
        { "implementation of #5", "refer #5" },
        { "prereopened #6", "refer #6" },

        // optional colon and issue/ticket word
        { "Fixes: #12", "close #12" },
        { "fixes : #12", "close #12" },
        { "fixes issue #3", "close #3" },
        { "closes issues #3 and #4", "close #3, close #4" },
        { "Fixes ticket #5", "close #5" },
        { "fixes tickets SUP-5, SUP-6", "close SUP-5, close SUP-6" },
        { "fixes the issue #3", "refer #3" },
        { "fixes issue", "" },
        { "fixes#3", "" },

        // lists: every ticket gets the keyword's action
        { "fixes #1, #2 and #3", "close #1, close #2, close #3" },
        { "fixes #1 & #2; #3", "close #1, close #2, close #3" },
        { "fixes #1,#2", "close #1, close #2" },
        { "fixes #1, and #2", "close #1, close #2" },
        { "closes SUP-1 and OPS-2", "close SUP-1, close OPS-2" },
        { "fixes #1, see #2", "close #1, refer #2" },
        { "fixes #1 or #2", "close #1, refer #2" },
        { "fixes #1 and then #2", "close #1, refer #2" },
        { "fixes #1 andrew #2", "close #1, refer #2" },
        { "fixes #1\n#2", "close #1, refer #2" },

        // reference forms
        { "#123", "refer #123" },
        { "SUP-123", "refer SUP-123" },
        { "fixes SUP-123", "close SUP-123" },
        { "ABCDEFGHIJ-1", "refer ABCDEFGHIJ-1" },
        { "ABCDEFGHIJK-1", "" },
        { "S-1", "" },
        { "sup-123", "" },
        { "Sup-123", "" },
        { "encode as utf-8", "" },
        { "see CVE-2024-12345", "" },
        { "branch feature/SUP-12-login", "" },
        { "(#12)", "refer #12" },
        { "abc#12", "" },
        { "owner/repo#12", "" },
        { "#12abc", "" },
        { "SUP-12abc", "" },

        // this portal's links; other hosts' are not references, nor are the tickets in their paths and fragments
        { "fixes https://support.example.com/tickets/5", "close #5" },
        { "see https://support.example.com/tickets/5/", "refer #5" },
        { "see https://support.example.com/tickets/5#comment-2.", "refer #5" },
        { "see http://SUPPORT.example.com/tickets/5", "refer #5" },
        { "fixes https://support.example.com/tickets/5 and #6", "close #5, close #6" },
        { "[#5](https://support.example.com/tickets/5)", "refer #5" },
        { "see https://support.example.com/tickets/5/edit", "" },
        { "see https://support.example.com/tickets/0", "" },
        { "fixes https://other.example.com/tickets/5", "" },
        { "fixes https://support.example.com.evil.io/tickets/5", "" },
        { "see https://jira.example.com/browse/SUP-5", "" },
        { "see https://docs.example.com/page/#12", "" },

        // bare mentions refer, also next to keywords
        { "Mentions #5 in passing", "refer #5" },
        { "Fixes #1. Also touches #2", "close #1, refer #2" },

        // trailers are keyword lines like any other
        { "Tidy up\n\nMore words.\n\nFixes: #12\nRefs: #4", "close #12, refer #4" },
        { "Tidy up\n\nCloses: SUP-4", "close SUP-4" },
        { "Tidy up\n\nReopens: #9", "reopen #9" },
        { "Tidy up\n\nSigned-off-by: Fix Bot <fix@example.com>", "" },

        // code spans and fenced code say nothing
        { "`fixes #4`", "" },
        { "Rename `fixes` handling, fixes #4", "close #4" },
        { "`fixes #4` but fixes #5", "close #5" },
        { "``fixes `#4` ``", "" },
        { "fixes #4 ` stray backtick", "close #4" },
        { "```\nfixes #4\n```\nfixes #5", "close #5" },
        { "~~~ text\nfixes #4\n~~~", "" },
        { "````\n```\nfixes #4\n````\n#5", "refer #5" },
        { "```\nfixes #4", "" },
        { "    fixes #4", "close #4" },

        // negations right before the verb name nothing, for the whole list
        { "does not fix #4", "" },
        { "doesn't close #4", "" },
        { "don't fix #4", "" },
        { "not fixing #4", "" },
        { "never closes #4", "" },
        { "didn't fix #4", "" },
        { "didn’t fix #4", "" },
        { "cannot fix #4", "" },
        { "does not fix #4, #5", "" },
        { "doesn't fix #4 but fixes #5", "close #5" },
        { "does not really fix #4", "close #4" },
        { "knot fixes #4", "close #4" },

        // a revert's quoted subject says nothing; the rest of the message does
        { $"Revert \"Fixes #5\"\n\nThis reverts commit {Hash}.", "" },
        { $"Revert \"Revert \"Fixes #5\"\"\n\nThis reverts commit {Hash}.", "" },
        { $"Reapply \"Fixes #5\"\n\nThis reverts commit {Hash}.", "" },
        { $"Revert \"Fixes #5\"\n\nThis reverts commit {Hash}.\nReopens #5", "reopen #5" },
        { "Reverted the workaround, fixes #5", "close #5" },

        // quoted lines (mail style) say nothing
        { "> fixes #3", "" },
        { "  > fixes #3", "" },
        { "fixes #3 > 2", "close #3" },

        // a ticket named twice is one reference: close/reopen outrank a mention, the later of close and reopen wins
        { "refs #3, fixes #3", "close #3" },
        { "fixes #3, refs #3", "close #3" },
        { "closes #3, reopens #3", "reopen #3" },
        { "reopens #3\ncloses #3", "close #3" },
        { "#5 is SUP-5", "refer SUP-5" },
        { "SUP-5 is OPS-5", "refer SUP-5" },
        { "see #2, fixes #1, refs #2", "refer #2, close #1" },

        // numbers are positive ints
        { "#0", "" },
        { "fixes #0", "" },
        { "#007", "" },
        { "#2147483647", "refer #2147483647" },
        { "#2147483648", "" },
        { "fixes #99999999999", "" },

        // time tokens and e-mail addresses are not references
        { "fixes #1 @2h", "close #1" },
        { "mail user@2h.com", "" },
    };

    [Theory]
    [MemberData(nameof(Messages))]
    public void Parse_FindsExactlyTheWrittenReferences(string message, string expected)
    {
        var parsed = Grammar.Parse(message);

        Assert.Equal(References(expected), parsed.References);
    }

    [Theory]
    [InlineData("@2h", 120)]
    [InlineData("@2h30m", 150)]
    [InlineData("@30m", 30)]
    [InlineData("@1:30", 90)]
    [InlineData("@1.5h", 90)]
    [InlineData("@0.25h", 15)]
    [InlineData("@1d", 480)]
    [InlineData("@1d2h", 600)]
    [InlineData("@1.5d", 720)]
    [InlineData("Fixes #1 @2h", 120)]
    [InlineData("Fixes #1 (@45m).", 45)]
    [InlineData("spent @1h, then @2h more", 60)]
    [InlineData("`@3h` then @1h", 60)]
    [InlineData("@0h then @1h", 60)]
    public void Parse_ReadsTheFirstTimeToken(string message, int minutes)
    {
        var parsed = Grammar.Parse(message);

        Assert.Equal(TimeSpan.FromMinutes(minutes), parsed.TimeSpent);
    }

    [Theory]
    [InlineData("no time here")]
    [InlineData("mail user@2h.com")]
    [InlineData("@2h.com")]
    [InlineData("a@1h")]
    [InlineData("@2")]
    [InlineData("@2x")]
    [InlineData("@2hours")]
    [InlineData("@1:75")]
    [InlineData("@0h")]
    [InlineData("`@2h`")]
    [InlineData("> @2h")]
    [InlineData("```\n@2h\n```")]
    [InlineData("https://example.com/@2h")]
    public void Parse_WithoutATimeToken_HasNoTimeSpent(string message)
    {
        var parsed = Grammar.Parse(message);

        Assert.Null(parsed.TimeSpent);
    }

    [Fact]
    public void Parse_CountsADayAsTheConfiguredHours()
    {
        var sixHourDays = new ReferenceKeywords(ReferenceKeywords.Default.Closing, ReferenceKeywords.Default.Reopening, ReferenceKeywords.Default.Referencing, hoursPerDay: 6);

        var parsed = new CommitReferenceGrammar(sixHourDays).Parse("fixes #1 @1d30m");

        Assert.Equal(TimeSpan.FromMinutes(390), parsed.TimeSpent);
    }

    [Fact]
    public void Parse_Revert_YieldsTheRevertedCommitAndNoReferences()
    {
        var parsed = Grammar.Parse($"Revert \"Fixes #5\"\n\nThis reverts commit {Hash}.\n");

        Assert.Empty(parsed.References);
        Assert.Equal(Hash, parsed.RevertedCommit);
        Assert.Null(parsed.CherryPickedFrom);
        Assert.Null(parsed.TimeSpent);
    }

    [Fact]
    public void Parse_RevertOfAMerge_YieldsTheRevertedCommit()
    {
        var parsed = Grammar.Parse($"Revert \"Merge branch 'x'\"\n\nThis reverts commit {Hash}, reversing\nchanges made to {OtherHash}.");

        Assert.Equal(Hash, parsed.RevertedCommit);
    }

    [Theory]
    [InlineData("This reverts commit 0123456.")]
    [InlineData("This reverts commit 0123456789ABCDEF0123456789ABCDEF01234567.")]
    [InlineData("> This reverts commit 0123456789abcdef0123456789abcdef01234567.")]
    [InlineData("Mentions that This reverts commit 0123456789abcdef0123456789abcdef01234567.")]
    public void Parse_WithoutAFullRevertLine_HasNoRevertedCommit(string message)
    {
        var parsed = Grammar.Parse(message);

        Assert.Null(parsed.RevertedCommit);
    }

    [Fact]
    public void Parse_CherryPick_YieldsTheFirstOriginAndKeepsTheReferences()
    {
        var parsed = Grammar.Parse($"Fixes #7\n\n(cherry picked from commit {Hash})\n(cherry picked from commit {OtherHash})");

        Assert.Equal(Hash, parsed.CherryPickedFrom);
        Assert.Null(parsed.RevertedCommit);
        Assert.Equal(References("close #7"), parsed.References);
    }

    [Fact]
    public void Parse_Sha256Hashes_AreCommitsToo()
    {
        var sha256 = Hash + "0123456789abcdef01234567";

        var parsed = Grammar.Parse($"Revert \"x\"\n\nThis reverts commit {sha256}.");

        Assert.Equal(sha256, parsed.RevertedCommit);
    }

    [Fact]
    public void Parse_ConfiguredKeyword_ClosesWhereTheDefaultOnlyRefers()
    {
        var german = new ReferenceKeywords([.. ReferenceKeywords.Default.Closing, "behebt", "schließt"], ReferenceKeywords.Default.Reopening, [.. ReferenceKeywords.Default.Referencing, "siehe auch"]);

        var parsed = new CommitReferenceGrammar(german).Parse("Behebt #4 und schließt SUP-5, siehe auch #6");
        var byDefault = new CommitReferenceGrammar(ReferenceKeywords.Default).Parse("Behebt #4");

        Assert.Equal(References("close #4, close SUP-5, refer #6"), parsed.References);
        Assert.Equal(References("refer #4"), byDefault.References);
    }

    [Fact]
    public void Parse_KeywordSetWithoutReopening_ReadsReopenAsAMention()
    {
        var noReopen = new ReferenceKeywords(ReferenceKeywords.Default.Closing, [], ReferenceKeywords.Default.Referencing);

        var parsed = new CommitReferenceGrammar(noReopen).Parse("reopens #4, fixes #5");

        Assert.Equal(References("refer #4, close #5"), parsed.References);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("fix-es")]
    [InlineData("fix2")]
    [InlineData("fixes:")]
    public void Keywords_NotLettersAndSpaces_AreRefused(string word)
    {
        var error = Assert.Throws<DomainException>(() => new ReferenceKeywords(["fixes", word], [], []));

        Assert.Equal(DomainErrorKind.Invalid, error.Kind);
    }

    [Fact]
    public void Keywords_WordInTwoSets_IsRefused()
    {
        var error = Assert.Throws<DomainException>(() => new ReferenceKeywords(["fixes"], [], ["Fixes"]));

        Assert.Contains("'fixes'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(25)]
    public void Keywords_DayOutsideOneToTwentyFourHours_IsRefused(int hoursPerDay)
    {
        Assert.Throws<DomainException>(() => new ReferenceKeywords(["fixes"], [], [], hoursPerDay));
    }

    [Fact]
    public void Keywords_AreNormalisedToLowerCaseAndSingleSpaces()
    {
        var keywords = new ReferenceKeywords([" Fixes ", "fixes"], [], ["Part   Of"]);

        Assert.Equal(["fixes"], keywords.Closing);
        Assert.Equal(["part of"], keywords.Referencing);
    }

    [Theory]
    [InlineData("https://example.com/support", "fixes https://example.com/support/tickets/3", "close #3")]
    [InlineData("https://example.com/support/", "fixes https://example.com/support/tickets/3", "close #3")]
    [InlineData("https://example.com/support", "fixes https://example.com/tickets/3", "")]
    [InlineData("http://localhost:5000", "fixes http://localhost:5000/tickets/3", "close #3")]
    [InlineData("http://localhost:5000", "fixes http://localhost:5001/tickets/3", "")]
    public void Parse_PortalLinks_FollowTheConfiguredAddress(string portalUrl, string message, string expected)
    {
        var parsed = new CommitReferenceGrammar(ReferenceKeywords.Default, portalUrl).Parse(message);

        Assert.Equal(References(expected), parsed.References);
    }

    [Fact]
    public void Parse_WithoutPortalUrl_NoLinkIsAReference()
    {
        var parsed = new CommitReferenceGrammar(ReferenceKeywords.Default).Parse("fixes https://support.example.com/tickets/5");

        Assert.Empty(parsed.References);
    }

    [Theory]
    [InlineData("support.example.com")]
    [InlineData("ftp://support.example.com")]
    public void Grammar_PortalUrlThatIsNotHttp_IsRefused(string portalUrl)
    {
        Assert.Throws<DomainException>(() => new CommitReferenceGrammar(ReferenceKeywords.Default, portalUrl));
    }

    [Fact]
    public void Parse_KnownProjectKeys_OnlyThoseAreKeys()
    {
        var grammar = new CommitReferenceGrammar(ReferenceKeywords.Default, projectKeys: ["SUP", "OPS"]);

        var parsed = grammar.Parse("Convert to UTF-8, fixes SUP-4 and OPS-5, see ISO-8601");

        Assert.Equal(References("close SUP-4, close OPS-5"), parsed.References);
    }

    [Fact]
    public void Grammar_InvalidProjectKey_IsRefused()
    {
        Assert.Throws<DomainException>(() => new CommitReferenceGrammar(ReferenceKeywords.Default, projectKeys: ["sup"]));
    }

    [Fact]
    public void Parse_EmptyMessage_FindsNothing()
    {
        var parsed = Grammar.Parse("");

        Assert.Empty(parsed.References);
        Assert.Null(parsed.TimeSpent);
        Assert.Null(parsed.RevertedCommit);
        Assert.Null(parsed.CherryPickedFrom);
    }

    [Fact]
    public void Parse_CrLfLines_ReadLikeLfLines()
    {
        var parsed = Grammar.Parse("Fix it\r\n\r\n```\r\nfixes #4\r\n```\r\nFixes: #5\r\n");

        Assert.Equal(References("close #5"), parsed.References);
    }

    private static CommitReference[] References(string expected) =>
        [.. expected.Split(", ", StringSplitOptions.RemoveEmptyEntries).Select(Reference)];

    private static CommitReference Reference(string written)
    {
        var parts = written.Split(' ', 2);
        var ticket = TicketReference.Parse(parts[1]);
        return new CommitReference(ticket.Number, ticket.ProjectKey, Enum.Parse<ReferenceAction>(parts[0], ignoreCase: true));
    }
}
