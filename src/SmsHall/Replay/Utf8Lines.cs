using System.Text;
using System.Text.Unicode;

namespace SmsHall.Replay;

/// <summary>
/// The lines of a replay input, read as bytes and decoded one line at a time. A StreamReader would
/// silently turn bytes that are not UTF-8 into U+FFFD; here such a line is a bad line (file:line),
/// like any other malformed line, and the lines around it are read as usual. Lines end at \n, \r\n
/// or \r, as <see cref="TextReader.ReadLine"/> has them; a UTF-8 byte order mark is skipped.
/// </summary>
public static class Utf8Lines
{
    public static IEnumerable<(int Number, string Text)> Read(Stream stream, string file, BadLines bad)
    {
        var splitter = new Splitter(stream);
        var number = 0;
        while (splitter.Next(out var valid) is { } text)
        {
            number++;
            if (valid) yield return (number, text);
            else bad.Report(file, number, "not valid UTF-8");
        }
    }

    /// <summary>Cuts a stream into lines through one buffer, grown only for a line longer than it.</summary>
    private sealed class Splitter(Stream stream)
    {
        private byte[] _buffer = new byte[1 << 16];
        private int _start;
        private int _end;
        private bool _ended;
        private bool _first = true;

        /// <summary>The next line (null at the end of the stream); not valid: "" in its place.</summary>
        public string? Next(out bool valid)
        {
            while (true)
            {
                var pending = _buffer.AsSpan(_start, _end - _start);
                var at = pending.IndexOfAny((byte)'\n', (byte)'\r');
                // A \r last in the buffer may be the first half of \r\n: read on before deciding.
                if (at >= 0 && (pending[at] == '\n' || at + 1 < pending.Length || _ended))
                {
                    var length = pending[at] == '\r' && at + 1 < pending.Length && pending[at + 1] == '\n' ? 2 : 1;
                    _start += at + length;
                    return Decode(pending[..at], out valid);
                }
                if (_ended)
                {
                    _start = _end;
                    valid = true;
                    return pending.IsEmpty ? null : Decode(pending, out valid);
                }
                Fill();
            }
        }

        private void Fill()
        {
            if (_start > 0)
            {
                _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
                _end -= _start;
                _start = 0;
            }
            else if (_end == _buffer.Length)
            {
                Array.Resize(ref _buffer, _buffer.Length * 2);
            }
            var read = stream.Read(_buffer, _end, _buffer.Length - _end);
            if (read == 0) _ended = true;
            _end += read;
        }

        private string Decode(ReadOnlySpan<byte> line, out bool valid)
        {
            if (_first && line.StartsWith("\uFEFF"u8)) line = line[3..];
            _first = false;
            valid = Utf8.IsValid(line);
            return valid ? Encoding.UTF8.GetString(line) : "";
        }
    }
}
