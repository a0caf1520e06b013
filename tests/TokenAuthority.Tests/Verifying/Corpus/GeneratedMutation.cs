using System.Buffers.Text;
using System.Text;
using System.Text.Json.Nodes;

namespace TokenAuthority.Tests.Verifying.Corpus;

/// <summary>
/// One generated change to a valid token of a pool. The numbers pick the token, the other token (for swaps),
/// the part, the position and the new value; each is reduced modulo what it indexes, so any values apply.
/// </summary>
public sealed record GeneratedMutation(GeneratedMutationKind Kind, int Token, int Other, int Part, int Position, int Value)
{
    // Characters a token may be changed to: its own alphabet, the separators and padding, the other base64
    // alphabet, whitespace, JSON and a few outside ASCII.
    private const string Characters = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.=+/ \t\n{}\"\0\u00e9\u0430\uFEFF";

    private static readonly string[] Suffixes = [".", "=", "==", " ", "\n", "\0", ".AAAA", "A", "AA", ".e30", "\u200b"];

    private static readonly int[][] Orders = [[0, 2, 1], [1, 0, 2], [2, 1, 0], [1, 2, 0], [2, 0, 1], [0, 1], [1, 2], [0, 0, 2], [1, 1, 2], [0, 1, 1], [0, 1, 2, 2], [0, 1, 2, 0]];

    private static readonly string[] KubernetesTestKeyIds = [TestSupport.KubernetesTestKeys.RsaKeyId, TestSupport.KubernetesTestKeys.EcdsaKeyId];

    private static readonly string[] Algorithms = ["none", "None", "HS256", "RS384", "RS512", "PS256", "ES256", "ES384", "ES512", "RS256", ""];

    public string Apply(IReadOnlyList<string> pool)
    {
        var token = pool[Token % pool.Count];
        var parts = token.Split('.');
        var part = Part % parts.Length;
        switch (Kind)
        {
            case GeneratedMutationKind.FlipDecodedBit:
                return WithPart(parts, part, bytes =>
                {
                    if (bytes.Count == 0)
                    {
                        bytes.Add((byte)Value);
                        return;
                    }

                    var bit = Position % (bytes.Count * 8);
                    bytes[bit / 8] ^= (byte)(1 << (bit % 8));
                });
            case GeneratedMutationKind.InsertDecodedByte:
                return WithPart(parts, part, bytes => bytes.Insert(Position % (bytes.Count + 1), (byte)Value));
            case GeneratedMutationKind.DeleteDecodedByte:
                return WithPart(parts, part, bytes =>
                {
                    if (bytes.Count > 0)
                    {
                        bytes.RemoveAt(Position % bytes.Count);
                    }
                });
            case GeneratedMutationKind.FlipCharacterBit:
                {
                    var i = Position % token.Length;
                    return token[..i] + (char)(token[i] ^ (1 << (Value % 8))) + token[(i + 1)..];
                }

            case GeneratedMutationKind.ReplaceCharacter:
                {
                    var i = Position % token.Length;
                    return token[..i] + Characters[Value % Characters.Length] + token[(i + 1)..];
                }

            case GeneratedMutationKind.InsertCharacter:
                {
                    var i = Position % (token.Length + 1);
                    return token[..i] + Characters[Value % Characters.Length] + token[i..];
                }

            case GeneratedMutationKind.DeleteCharacter:
                {
                    var i = Position % token.Length;
                    return token[..i] + token[(i + 1)..];
                }

            case GeneratedMutationKind.Truncate:
                return token[..(Position % token.Length)];
            case GeneratedMutationKind.SwapPartsBetweenTokens:
                {
                    // Another token of the pool, and at least one part taken from it.
                    var other = pool[(Token + 1 + (Other % (pool.Count - 1))) % pool.Count].Split('.');
                    var taken = 1 + (Value % 7);
                    return string.Join('.', Enumerable.Range(0, 3).Select(i => (taken & (1 << i)) != 0 ? other[i] : parts[i]));
                }

            case GeneratedMutationKind.ReorderParts:
                return string.Join('.', Orders[Value % Orders.Length].Select(i => parts[i]));
            case GeneratedMutationKind.StandardAlphabet:
                parts[part] = (Value % 2 == 0)
                    ? parts[part].Replace('-', '+').Replace('_', '/')
                    : ReplaceNth(parts[part], Position);
                return string.Join('.', parts);
            case GeneratedMutationKind.Pad:
                parts[part] += new string('=', 1 + (Value % 3));
                return string.Join('.', parts);
            case GeneratedMutationKind.ReencodeWithChangedValue:
                parts[part % 2] = Base64Url.EncodeToString(Encoding.UTF8.GetBytes(ChangeValue(Decode(parts[part % 2]))));
                return string.Join('.', parts);
            case GeneratedMutationKind.ReencodeWithWhitespace:
                {
                    var json = Decode(parts[part % 2]);
                    var i = Position % (json.Length + 1);
                    parts[part % 2] = Base64Url.EncodeToString(Encoding.UTF8.GetBytes(json[..i] + " \t\n\r"[Value % 4] + json[i..]));
                    return string.Join('.', parts);
                }

            case GeneratedMutationKind.Append:
                return token + Suffixes[Value % Suffixes.Length];
            default:
                throw new InvalidOperationException($"unknown mutation {Kind}");
        }
    }

    private static string WithPart(string[] parts, int part, Action<List<byte>> change)
    {
        var bytes = new List<byte>(Base64Url.DecodeFromChars(parts[part]));
        change(bytes);
        parts[part] = Base64Url.EncodeToString(bytes.ToArray());
        return string.Join('.', parts);
    }

    private static string Decode(string part) => Encoding.UTF8.GetString(Base64Url.DecodeFromChars(part));

    private static string ReplaceNth(string part, int n)
    {
        var positions = part.Select((c, i) => (c, i)).Where(t => t.c is '-' or '_').Select(t => t.i).ToArray();
        if (positions.Length == 0)
        {
            return part + "+";
        }

        var at = positions[n % positions.Length];
        return part[..at] + (part[at] == '-' ? '+' : '/') + part[(at + 1)..];
    }

    /// <summary>One member of the JSON changed: a value nudged, nulled, retyped or removed, a member added, alg or kid swapped.</summary>
    private string ChangeValue(string json)
    {
        var root = JsonNode.Parse(json)!.AsObject();

        // Now and then a member of the kubernetes.io claim instead of a top-level one.
        var target = root["kubernetes.io"] is JsonObject k && Value % 5 == 0 ? k : root;
        var names = target.Select(p => p.Key).ToArray();
        var name = names[Position % names.Length];
        var value = target[name];
        switch (Value % 7)
        {
            case 0:
                target[name] = value switch
                {
                    JsonValue v when v.TryGetValue<long>(out var n) => n + ((Position % 2 == 0) ? 1 : -1),
                    JsonValue v when v.TryGetValue<string>(out var s) => s + "x",
                    JsonArray a => new JsonArray([.. a.Select(e => e?.DeepClone()), "x"]),
                    JsonObject o => new JsonObject([.. o.Select(p => KeyValuePair.Create(p.Key, p.Value?.DeepClone())), KeyValuePair.Create<string, JsonNode?>("x", "y")]),
                    _ => 1,
                };
                break;
            case 1:
                target[name] = null;
                break;
            case 2:
                target.Remove(name);
                break;
            case 3:
                target["x" + (Position % 10)] = Position;
                break;
            case 4:
                target[name] = value is JsonValue v2 && v2.TryGetValue<string>(out var str) ? str.Length : value?.ToJsonString();
                break;
            case 5:
                root["alg"] = Algorithms[Position % Algorithms.Length];
                break;
            default:
                root["kid"] = (Position % 3) switch
                {
                    0 => "unknown",
                    1 => KubernetesTestKeyIds[Position % KubernetesTestKeyIds.Length],
                    _ => string.Empty,
                };
                break;
        }

        return root.ToJsonString();
    }
}
