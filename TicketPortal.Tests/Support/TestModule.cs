using System.Runtime.CompilerServices;
using TicketPortal.Domain.Mail;

namespace TicketPortal.Tests.Support;

/// <summary>Runs before any test: MimeKit must see every charset from its first use on, whichever test uses it first.</summary>
internal static class TestModule
{
    [ModuleInitializer]
    internal static void Initialize() => MailParser.RegisterEncodings();
}
