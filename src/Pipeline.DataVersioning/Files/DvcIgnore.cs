using System.Text;
using System.Text.RegularExpressions;

namespace Pipeline.DataVersioning.Files;

/// <summary>
/// The repository's <c>.dvcignore</c>, with gitignore semantics: the last matching pattern wins, <c>!</c>
/// re-includes, a trailing <c>/</c> matches folders only, a slash elsewhere anchors the pattern to the root,
/// and nothing inside an ignored folder can be re-included.
/// </summary>
public sealed class DvcIgnore
{
    public const string FileName = ".dvcignore";

    private readonly List<(Regex Pattern, bool Negated, bool DirectoryOnly)> _rules = [];

    public static DvcIgnore Empty { get; } = new();

    public static DvcIgnore Load(string repositoryRoot)
    {
        var ignore = new DvcIgnore();
        var path = Path.Combine(repositoryRoot, FileName);
        if (File.Exists(path))
        {
            foreach (var line in File.ReadLines(path))
            {
                ignore.AddPattern(line);
            }
        }

        return ignore;
    }

    public void AddPattern(string line)
    {
        var pattern = line.TrimEnd();
        if (pattern.Length == 0 || pattern.StartsWith('#'))
        {
            return;
        }

        var negated = pattern.StartsWith('!');
        if (
            negated
            || pattern.StartsWith("\\!", StringComparison.Ordinal)
            || pattern.StartsWith("\\#", StringComparison.Ordinal)
        )
        {
            pattern = pattern[1..];
        }

        var directoryOnly = pattern.EndsWith('/');
        pattern = pattern.TrimEnd('/');
        var anchored = pattern.Contains('/');
        pattern = pattern.TrimStart('/');
        var regex = (anchored ? "^" : "^(?:.*/)?") + Translate(pattern) + "$";
        _rules.Add((new Regex(regex, RegexOptions.CultureInvariant), negated, directoryOnly));
    }

    /// <summary>Whether a path relative to the repository root (POSIX form) is ignored, itself or through a parent folder.</summary>
    public bool IsIgnored(string relativePath, bool isDirectory)
    {
        var segments = relativePath.Split('/');
        for (var i = 1; i < segments.Length; i++)
        {
            if (Matches(string.Join('/', segments[..i]), isDirectory: true))
            {
                return true;
            }
        }

        return Matches(relativePath, isDirectory);
    }

    private bool Matches(string path, bool isDirectory)
    {
        var ignored = false;
        foreach (var (pattern, negated, directoryOnly) in _rules)
        {
            if ((!directoryOnly || isDirectory) && pattern.IsMatch(path))
            {
                ignored = !negated;
            }
        }

        return ignored;
    }

    private static string Translate(string glob)
    {
        var regex = new StringBuilder();
        for (var i = 0; i < glob.Length; i++)
        {
            var c = glob[i];
            if (c == '*' && i + 1 < glob.Length && glob[i + 1] == '*')
            {
                var slashAfter = i + 2 < glob.Length && glob[i + 2] == '/';
                regex.Append(slashAfter ? "(?:.*/)?" : ".*");
                i += slashAfter ? 2 : 1;
            }
            else if (c == '*')
            {
                regex.Append("[^/]*");
            }
            else if (c == '?')
            {
                regex.Append("[^/]");
            }
            else if (c == '[' && glob.IndexOf(']', i + 1) is var end and > 0)
            {
                var body = glob[(i + 1)..end];
                regex.Append('[').Append(body.StartsWith('!') ? "^" + body[1..] : body).Append(']');
                i = end;
            }
            else if (c == '\\' && i + 1 < glob.Length)
            {
                regex.Append(Regex.Escape(glob[++i].ToString()));
            }
            else
            {
                regex.Append(Regex.Escape(c.ToString()));
            }
        }

        return regex.ToString();
    }
}
