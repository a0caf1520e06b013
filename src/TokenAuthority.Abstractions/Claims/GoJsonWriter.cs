using System.Globalization;
using System.Text;

namespace TokenAuthority.Claims;

/// <summary>
/// Writes compact JSON the way Go's encoding/json does (the payload Kubernetes signs): keys in the order
/// given (callers give them sorted), <c>&lt; &gt; &amp;</c> and U+2028/U+2029 escaped, <c>/</c> and
/// non-ASCII left as is.
/// </summary>
internal sealed class GoJsonWriter
{
    private readonly StringBuilder _sb;
    private bool _needComma;

    /// <summary>A writer into a new builder.</summary>
    public GoJsonWriter()
        : this(new StringBuilder())
    {
    }

    /// <summary>A writer that appends to <paramref name="builder"/> (a caller's reused one).</summary>
    public GoJsonWriter(StringBuilder builder) => _sb = builder;

    public GoJsonWriter BeginObject()
    {
        Separator();
        _sb.Append('{');
        _needComma = false;
        return this;
    }

    public GoJsonWriter EndObject()
    {
        _sb.Append('}');
        _needComma = true;
        return this;
    }

    public GoJsonWriter Name(string name)
    {
        Separator();
        WriteString(name);
        _sb.Append(':');
        _needComma = false;
        return this;
    }

    public GoJsonWriter String(string value)
    {
        Separator();
        WriteString(value);
        _needComma = true;
        return this;
    }

    public GoJsonWriter Number(long value)
    {
        Separator();
        _sb.Append(CultureInfo.InvariantCulture, $"{value}");
        _needComma = true;
        return this;
    }

    public GoJsonWriter StringArray(IEnumerable<string> values)
    {
        Separator();
        _sb.Append('[');
        _needComma = false;
        foreach (var v in values)
        {
            String(v);
        }

        _sb.Append(']');
        _needComma = true;
        return this;
    }

    public override string ToString() => _sb.ToString();

    private void Separator()
    {
        if (_needComma)
        {
            _sb.Append(',');
        }
    }

    private void WriteString(string value)
    {
        _sb.Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': _sb.Append("\\\""); break;
                case '\\': _sb.Append("\\\\"); break;
                case '\n': _sb.Append("\\n"); break;
                case '\r': _sb.Append("\\r"); break;
                case '\t': _sb.Append("\\t"); break;
                case '<' or '>' or '&' or '\u2028' or '\u2029' or < ' ':
                    _sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    break;
                default: _sb.Append(c); break;
            }
        }

        _sb.Append('"');
    }
}
