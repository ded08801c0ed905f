using System.Text;
using Cake.Core;

namespace Pipeline.Testing;

/// <summary>Cake's console, captured: standard output and error interleaved in one transcript, without colour.</summary>
public sealed class RecordingConsole : IConsole
{
    private readonly StringBuilder _text = new();
    private readonly object _gate = new();

    public ConsoleColor ForegroundColor { get; set; }

    public ConsoleColor BackgroundColor { get; set; }

    public bool SupportAnsiEscapeCodes => false;

    public string Text
    {
        get
        {
            lock (_gate)
            {
                return _text.ToString();
            }
        }
    }

    public void Write(string format, params object[] arg) => Append(string.Format(format, arg));

    public void Write(string value) => Append(value);

    public void WriteLine(string format, params object[] arg) => Append(string.Format(format, arg) + "\n");

    public void WriteLine(string value) => Append(value + "\n");

    public void WriteError(string format, params object[] arg) => Write(format, arg);

    public void WriteError(string value) => Write(value);

    public void WriteErrorLine(string format, params object[] arg) => WriteLine(format, arg);

    public void WriteErrorLine(string value) => WriteLine(value);

    public void ResetColor() { }

    /// <summary>Spectre's console (reports, description tables) writes into the same transcript.</summary>
    internal TextWriter AsWriter() => new ConsoleWriter(this);

    private void Append(string value)
    {
        lock (_gate)
        {
            _text.Append(value);
        }
    }

    private sealed class ConsoleWriter(RecordingConsole console) : TextWriter
    {
        public override Encoding Encoding => Encoding.UTF8;

        public override void Write(char value) => console.Append(value.ToString());

        public override void Write(string? value) => console.Append(value ?? string.Empty);
    }
}
