using System.Security.Cryptography;
using System.Text;

namespace TicketPortal.Domain.People;

/// <summary>A bearer token acting as a user; only its SHA-256 hash is stored.</summary>
public sealed class ApiToken
{
    public int Id { get; private set; }
    public string UserId { get; private set; } = "";
    public string Hash { get; private set; } = "";
    public DateTimeOffset CreatedAt { get; private set; }

    private ApiToken()
    {
    }

    public ApiToken(string userId, string hash, DateTimeOffset createdAt)
    {
        UserId = userId;
        Hash = hash;
        CreatedAt = createdAt;
    }

    public static string NewSecret() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static string HashOf(string secret) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));
}
