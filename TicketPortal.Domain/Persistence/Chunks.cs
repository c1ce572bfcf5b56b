namespace TicketPortal.Domain.Persistence;

internal static class Chunks
{
    /// <summary>
    /// A scan can look up tens of thousands of keys; they go in slices so no statement carries an unbounded list. (Lists
    /// are one JSON parameter since <see cref="PortalDbContext.Sqlite"/>, so SQLite's cap on variables no longer bites.)
    /// </summary>
    public const int Size = 500;

    public static async Task<List<T>> QueryInChunksAsync<TKey, T>(this IEnumerable<TKey> keys, Func<TKey[], Task<List<T>>> query)
    {
        var results = new List<T>();
        foreach (var chunk in keys.Distinct().Chunk(Size))
        {
            results.AddRange(await query(chunk));
        }
        return results;
    }
}
