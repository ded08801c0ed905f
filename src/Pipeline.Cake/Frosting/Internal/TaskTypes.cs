using System.Reflection;
using Cake.Core;

namespace Cake.Frosting.Internal;

/// <summary>What the attributes and overrides of a task class say about it.</summary>
internal static class TaskTypes
{
    public static string GetTaskName(Type task) => task.GetCustomAttribute<TaskNameAttribute>()?.Name ?? task.Name;

    public static string? GetDescription(Type task) => task.GetCustomAttribute<TaskDescriptionAttribute>()?.Description;

    public static bool IsContinueOnError(Type task) => task.GetCustomAttribute<ContinueOnErrorAttribute>() is not null;

    public static IEnumerable<Type> GetDependencies(Type task) =>
        task.GetCustomAttributes<IsDependentOnAttribute>().Select(a => a.Task);

    public static IEnumerable<Type> GetDependees(Type task) =>
        task.GetCustomAttributes<IsDependeeOfAttribute>().Select(a => a.Task);

    public static string GetValidTaskName(Type task, string edge) =>
        typeof(IFrostingTask).IsAssignableFrom(task)
            ? GetTaskName(task)
            : throw new FrostingException($"The {edge} '{GetTaskName(task)}' is not a valid task.");

    /// <summary>The <c>T</c> of <c>FrostingTask&lt;T&gt;</c> or <c>AsyncFrostingTask&lt;T&gt;</c>; <see cref="ICakeContext"/> otherwise.</summary>
    public static Type GetContextType(Type task)
    {
        for (var type = task; type is not null; type = type.BaseType)
        {
            if (IsFrostingBase(type))
            {
                return type.GetGenericArguments()[0];
            }
        }

        return typeof(ICakeContext);
    }

    /// <summary>The host wires only members a task overrides, so a task without an action is reported as delegated.</summary>
    public static bool IsOverridden(Type task, string method)
    {
        var candidates = task.GetMethods(BindingFlags.Public | BindingFlags.Instance)
            .Where(m => m.Name == method && m.IsVirtual)
            .ToList();
        if (candidates.Count == 0)
        {
            return false;
        }

        return candidates.Any(m => m.DeclaringType is { } declaring && !IsFrostingBase(declaring));
    }

    private static bool IsFrostingBase(Type type) =>
        type.IsGenericType
        && (
            type.GetGenericTypeDefinition() == typeof(FrostingTask<>)
            || type.GetGenericTypeDefinition() == typeof(AsyncFrostingTask<>)
        );
}
