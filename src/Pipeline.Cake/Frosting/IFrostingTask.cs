using Cake.Core;

namespace Cake.Frosting;

/// <summary>The contract the host discovers: every public, non-abstract implementation is a task.</summary>
public interface IFrostingTask
{
    /// <summary>The message shown in the report and in the error when <see cref="ShouldRun"/> is false.</summary>
    string SkippedMessage => string.Empty;

    Task RunAsync(ICakeContext context);

    bool ShouldRun(ICakeContext context);

    void OnError(Exception exception, ICakeContext context);

    void Finally(ICakeContext context);
}
