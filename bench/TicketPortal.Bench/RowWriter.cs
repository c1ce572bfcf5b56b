using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace TicketPortal.Bench;

/// <summary>
/// Inserts entities with one prepared statement whose columns and value conversions come from the EF model, so seeding
/// follows schema changes yet skips SaveChanges, which on SQLite runs one command per row.
/// </summary>
internal sealed class RowWriter : IDisposable
{
    private readonly SqliteCommand _command;
    private readonly List<(IProperty Property, SqliteParameter Parameter)> _columns = [];

    public RowWriter(SqliteConnection connection, IEntityType type)
    {
        var key = type.FindPrimaryKey()?.Properties is [{ ValueGenerated: ValueGenerated.OnAdd } generated] ? generated : null;
        _command = connection.CreateCommand();
        foreach (var property in type.GetProperties().Where(p => p != key))
        {
            _columns.Add((property, _command.CreateParameter()));
            _columns[^1].Parameter.ParameterName = "$p" + (_columns.Count - 1);
            _command.Parameters.Add(_columns[^1].Parameter);
        }
        var table = type.GetTableName() ?? throw new InvalidOperationException($"{type.DisplayName()} has no table.");
        var store = StoreObjectIdentifier.Table(table, type.GetSchema());
        _command.CommandText = $"INSERT INTO \"{table}\" ({string.Join(", ", _columns.Select(c => $"\"{c.Property.GetColumnName(store)}\""))}) "
            + $"VALUES ({string.Join(", ", _columns.Select(c => c.Parameter.ParameterName))})"
            + (key is null ? "" : $" RETURNING \"{key.GetColumnName(store)}\"");
    }

    public SqliteTransaction? Transaction
    {
        get => _command.Transaction;
        set => _command.Transaction = value;
    }

    /// <summary>Writes one row; <paramref name="foreignKeys"/> supplies values the object does not hold yet. Returns the generated key.</summary>
    public long Insert(object entity, params (string Property, object Value)[] foreignKeys)
    {
        foreach (var (property, parameter) in _columns)
        {
            var value = foreignKeys.FirstOrDefault(k => k.Property == property.Name) is { Value: { } given }
                ? given
                : property.IsShadowProperty()
                    ? throw new InvalidOperationException($"No value given for {property.DeclaringType.DisplayName()}.{property.Name}.")
                    : property.GetGetter().GetClrValue(entity);
            var converter = property.GetTypeMapping().Converter;
            parameter.Value = (value is null ? null : converter is null ? value : converter.ConvertToProvider(value)) ?? DBNull.Value;
        }
        return _command.ExecuteScalar() is long id ? id : 0;
    }

    public void Dispose() => _command.Dispose();
}
