namespace TicketPortal.Domain.Persistence;

internal static class Chunks
{
    /// <summary>SQLite caps the variables of one statement; a scan can look up tens of thousands of keys, so they go in slices.</summary>
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
