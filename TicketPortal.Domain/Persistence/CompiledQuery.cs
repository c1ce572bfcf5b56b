using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace TicketPortal.Domain.Persistence;

/// <summary>
/// An EF Core compiled query (<see cref="EF.CompileAsyncQuery{TContext, TParam1, TParam2, TResult}(System.Linq.Expressions.Expression{Func{TContext, TParam1, TParam2, CancellationToken, TResult}})"/>)
/// for each model and key. The mail intake's writer runs a few queries for every message while it holds the write
/// lock; compiled, they skip EF Core's per-call work of finding the SQL for a LINQ expression, about half of their
/// cost (docs/benchmarks.md, "Mail in and out"). A compiled query is bound to the model that first runs it, and each
/// host in a process (the tests start many) has its own model; the key is what the query was built around, such as a
/// workflow's customer roles.
/// </summary>
internal sealed class CompiledQuery<TKey, TQuery>(Func<TKey, TQuery> compile)
    where TKey : class
    where TQuery : class
{
    private readonly CompiledQuery<ConditionalWeakTable<TKey, TQuery>> _byModel = new(() => new());

    public TQuery For(DbContext db, TKey key) => _byModel.For(db).GetValue(key, k => compile(k));
}

/// <summary>An EF Core compiled query for each model, for a query that is the same whatever it is asked with.</summary>
internal sealed class CompiledQuery<TQuery>(Func<TQuery> compile)
    where TQuery : class
{
    private readonly ConditionalWeakTable<IModel, TQuery> _byModel = new();

    public TQuery For(DbContext db) => _byModel.GetValue(db.Model, _ => compile());
}
