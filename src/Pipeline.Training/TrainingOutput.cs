using Pipeline.Core.IO;

namespace Pipeline.Training;

/// <summary>
/// The layout every trainer writes (<c>model/</c> and <c>reports/</c>) and how it is published: into a staging
/// folder first, which replaces the output folder only when the whole run succeeded. A failed run writes no model.
/// </summary>
public static class TrainingOutput
{
    public const string ModelFolder = "model";
    public const string ReportFolder = "reports";
    public const string SignatureFile = "signature.json";

    public static TrainingResult Publish(
        string outputDirectory,
        Action<string> write,
        Func<string, string, TrainingResult> result
    )
    {
        var output = Path.GetFullPath(outputDirectory);
        var parent = Path.GetDirectoryName(output)!;
        Directory.CreateDirectory(parent);
        var staging = Path.Combine(parent, $".{Path.GetFileName(output)}.staging-{Guid.NewGuid():N}");
        var previous = Path.Combine(parent, $".{Path.GetFileName(output)}.previous-{Guid.NewGuid():N}");
        try
        {
            Directory.CreateDirectory(staging);
            write(staging);
            if (Directory.Exists(output))
            {
                Directory.Move(output, previous);
            }

            Directory.Move(staging, output);
        }
        catch
        {
            if (Directory.Exists(previous) && !Directory.Exists(output))
            {
                Directory.Move(previous, output);
            }

            throw;
        }
        finally
        {
            foreach (var leftover in new[] { staging, previous }.Where(Directory.Exists))
            {
                Directory.Delete(leftover, recursive: true);
            }
        }

        return result(Path.Combine(output, ModelFolder), Path.Combine(output, ReportFolder));
    }

    public static void WriteSignature(string modelDirectory, ModelSignature signature) =>
        JsonFile.Write(
            Path.Combine(modelDirectory, SignatureFile),
            new
            {
                inputs = signature.Inputs.Select(c => new { name = c.Name, type = c.Type }),
                outputs = signature.Outputs.Select(c => new { name = c.Name, type = c.Type }),
            }
        );
}
