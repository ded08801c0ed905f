using Cake.Core;

namespace Cake.Frosting;

/// <summary>A synchronous task over a typed context. Override only what the task needs: the host wires only overridden members.</summary>
public abstract class FrostingTask<T> : IFrostingTask
    where T : ICakeContext
{
    public virtual string SkippedMessage => string.Empty;

    public virtual void Run(T context) { }

    public virtual bool ShouldRun(T context) => true;

    public virtual void OnError(Exception exception, T context) { }

    public virtual void Finally(T context) { }

    Task IFrostingTask.RunAsync(ICakeContext context)
    {
        Run((T)context);
        return Task.CompletedTask;
    }

    bool IFrostingTask.ShouldRun(ICakeContext context) => ShouldRun((T)context);

    void IFrostingTask.OnError(Exception exception, ICakeContext context) => OnError(exception, (T)context);

    void IFrostingTask.Finally(ICakeContext context) => Finally((T)context);
}

/// <summary>A synchronous task over the plain Cake context.</summary>
public abstract class FrostingTask : FrostingTask<ICakeContext> { }
