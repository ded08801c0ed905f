using System.Globalization;
using System.Text;
using Pipeline.Core.IO;

namespace Pipeline.Cake.Summary;

/// <summary>
/// The Markdown record of one run: each task with its duration and outcome, then any sections stages
/// add (training metrics, the model report, image digests). CI shows it as the job summary.
/// </summary>
public sealed class BuildSummary
{
    private readonly List<TaskOutcome> _tasks = [];
    private readonly List<(string Heading, string Markdown)> _sections = [];

    public IReadOnlyList<TaskOutcome> Tasks => _tasks;

    public void RecordTask(string name, TimeSpan duration, TaskStatus status, string? note = null) =>
        _tasks.Add(new TaskOutcome(name, duration, status, note));

    /// <summary>Adds or replaces a section; stages call this to publish their facts.</summary>
    public void SetSection(string heading, string markdown)
    {
        _sections.RemoveAll(s => s.Heading == heading);
        _sections.Add((heading, markdown));
    }

    public string Render(string title, bool succeeded)
    {
        var text = new StringBuilder();
        text.Append("## ").Append(title).Append(" — ").AppendLine(succeeded ? "succeeded" : "failed").AppendLine();
        text.AppendLine("| Task | Duration | Outcome |");
        text.AppendLine("|---|---:|---|");
        foreach (var task in _tasks)
        {
            var outcome = task.Note is { Length: > 0 } note ? $"{task.Status}: {Escape(note)}" : task.Status.ToString();
            text.Append("| ")
                .Append(Escape(task.Name))
                .Append(" | ")
                .Append(task.Status == TaskStatus.Skipped ? "-" : FormatDuration(task.Duration))
                .Append(" | ")
                .Append(outcome)
                .AppendLine(" |");
        }

        foreach (var (heading, markdown) in _sections)
        {
            text.AppendLine().Append("### ").AppendLine(heading).AppendLine().AppendLine(markdown.TrimEnd());
        }

        return text.ToString();
    }

    /// <summary>Writes the summary to a file of our own, replaced whole.</summary>
    public void Write(string path, string title, bool succeeded) =>
        AtomicFile.WriteAllText(path, Render(title, succeeded));

    private static string FormatDuration(TimeSpan duration) =>
        duration.TotalSeconds.ToString(duration.TotalSeconds < 10 ? "0.00" : "0.0", CultureInfo.InvariantCulture)
        + " s";

    private static string Escape(string value) =>
        value.Replace("|", "\\|", StringComparison.Ordinal).ReplaceLineEndings(" ");
}

public enum TaskStatus
{
    Succeeded,
    Skipped,
    Failed,
}

public sealed record TaskOutcome(string Name, TimeSpan Duration, TaskStatus Status, string? Note);
