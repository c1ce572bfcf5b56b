namespace TicketPortal.BenchShared;

internal static class Percentile
{
    /// <summary>Nearest rank on sorted values; NaN when there are none.</summary>
    public static double Of(double[] sorted, int percent) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Max(0, (int)Math.Ceiling(percent / 100.0 * sorted.Length) - 1)];
}
