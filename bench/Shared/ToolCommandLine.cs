using System.Globalization;

namespace TicketPortal.BenchShared;

/// <summary>What the load tools share on their command line: --help, bounded numbers, --portal-env pairs and the run's cancellation.</summary>
internal static class ToolCommandLine
{
    /// <summary>The options, or null and the exit code: 0 after printing the usage for --help, 2 after saying why the arguments are wrong.</summary>
    public static (T? Options, int ExitCode) Read<T>(string[] args, string usage, Func<IReadOnlyList<string>, T> parse) where T : class
    {
        if (args.Any(a => a is "--help" or "-h"))
        {
            Console.WriteLine(usage);
            return (null, 0);
        }
        try
        {
            return (parse(args), 0);
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine(e.Message);
            Console.Error.WriteLine(usage);
            return (null, 2);
        }
    }

    public static int Number(string name, string text, int min, int max) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max
            ? n
            : throw new ArgumentException($"{name}: '{text}' is not a whole number from {min} to {max}.");

    /// <summary>Applies each option in turn: <paramref name="apply"/> reads the option's value, if it has one, from the cursor.</summary>
    public static T Fold<T>(IReadOnlyList<string> args, T options, Func<T, OptionCursor, T> apply)
    {
        var cursor = new OptionCursor(args);
        while (cursor.MoveNext())
        {
            options = apply(options, cursor);
        }
        return options;
    }

    /// <summary>One --portal-env KEY=VALUE.</summary>
    public static KeyValuePair<string, string> EnvironmentPair(string pair)
    {
        var equals = pair.IndexOf('=', StringComparison.Ordinal);
        return equals > 0 ? new(pair[..equals], pair[(equals + 1)..]) : throw new ArgumentException($"--portal-env: '{pair}' is not KEY=VALUE.");
    }

    /// <summary>Cancelled when the run's time is up, or on Ctrl+C (which then lets the tool stop the portal and clean up).</summary>
    public static CancellationTokenSource RunCancellation(TimeSpan timeout)
    {
        var run = new CancellationTokenSource(timeout);
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            run.Cancel();
        };
        return run;
    }
}

/// <summary>The option being read, and its value from the arguments that follow it.</summary>
internal sealed class OptionCursor(IReadOnlyList<string> args)
{
    private int _index = -1;

    /// <summary>The option's name; it stays the same while its value is read.</summary>
    public string Name { get; private set; } = "";

    public bool MoveNext()
    {
        if (++_index >= args.Count)
        {
            return false;
        }
        Name = args[_index];
        return true;
    }

    public string Value() => _index + 1 < args.Count ? args[++_index] : throw new ArgumentException($"{Name} needs a value.");

    public int Number(int min, int max) => ToolCommandLine.Number(Name, Value(), min, max);

    public ArgumentException Unknown() => new($"Unknown option '{Name}'.");
}
