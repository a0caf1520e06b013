using System.Text;
using System.Text.Json;
using TokenAuthority.Binding;

namespace TokenAuthority.Claims;

/// <summary>Writes and reads the JWT payload of a service-account token.</summary>
internal static class ClaimsSerializer
{
    private const string NodeClaimName = "node";

    /// <summary>The payload as Kubernetes writes it: compact, keys sorted at every level.</summary>
    public static string Serialize(ServiceAccountTokenClaims claims) => Serialize(claims, new StringBuilder()).ToString();

    /// <summary>Appends the payload to <paramref name="into"/> (a reused builder: the signer encodes it to UTF-8 from there).</summary>
    public static StringBuilder Serialize(ServiceAccountTokenClaims claims, StringBuilder into)
    {
        var w = new GoJsonWriter(into).BeginObject();
        if (claims.Audiences.Count > 0)
        {
            w.Name("aud").StringArray(claims.Audiences);
        }

        if (claims.Expires is { } exp)
        {
            w.Name("exp").Number(exp);
        }

        if (claims.IssuedAt is { } iat)
        {
            w.Name("iat").Number(iat);
        }

        w.Name("iss").String(claims.Issuer);
        if (!string.IsNullOrEmpty(claims.Id))
        {
            w.Name("jti").String(claims.Id);
        }

        w.Name(ServiceAccountTokenClaims.PrivateClaimName);
        WritePrivate(w, claims);
        if (claims.NotBefore is { } nbf)
        {
            w.Name("nbf").Number(nbf);
        }

        w.Name("sub").String(claims.Subject);
        w.EndObject();
        return into;
    }

    /// <summary>
    /// Reads a verified payload that <see cref="StrictJson.IsStrictObject"/> accepted (one object, valid UTF-8, no name
    /// given twice, every string readable). Returns null when it is not of the expected shape, and also sets
    /// <paramref name="unknownBinding"/> when the <c>kubernetes.io</c> claim binds the token to something no known kind
    /// explains: an object- or array-valued member that is neither built in nor registered, or a second registered binding.
    /// </summary>
    public static ServiceAccountTokenClaims? Read(ReadOnlySpan<byte> payload, BoundObjectKindTable kinds, out string? unknownBinding)
    {
        unknownBinding = null;
        var r = new Utf8JsonReader(payload);
        if (!r.Read() || r.TokenType != JsonTokenType.StartObject)
        {
            return null;
        }

        string? iss = null, sub = null, jti = null, ns = null;
        long? exp = null, iat = null, nbf = null, warnAfter = null;
        string[] aud = [];
        ObjectReferenceClaim sa = new(string.Empty, string.Empty);
        BoundObjectClaim? first = null, second = null;
        var bindings = 0;

        while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
        {
            // go-jose decodes these into strings: another type refuses the token, null leaves them empty.
            if (r.ValueTextEquals("iss"u8))
            {
                if (!TryString(ref r, out iss)) { return null; }
            }
            else if (r.ValueTextEquals("sub"u8))
            {
                if (!TryString(ref r, out sub)) { return null; }
            }
            else if (r.ValueTextEquals("jti"u8))
            {
                if (!TryString(ref r, out jti)) { return null; }
            }
            else if (r.ValueTextEquals("exp"u8))
            {
                if (!TryNumericDate(ref r, out exp)) { return null; }
            }
            else if (r.ValueTextEquals("iat"u8))
            {
                if (!TryNumericDate(ref r, out iat)) { return null; }
            }
            else if (r.ValueTextEquals("nbf"u8))
            {
                if (!TryNumericDate(ref r, out nbf)) { return null; }
            }
            else if (r.ValueTextEquals("aud"u8))
            {
                if (!TryAudiences(ref r, out aud)) { return null; }
            }
            else if (r.ValueTextEquals(ServiceAccountTokenClaims.PrivateClaimName))
            {
                r.Read();
                if (r.TokenType == JsonTokenType.Null)
                {
                    continue;
                }

                // Kubernetes decodes this claim into a struct: any other type is a decoding error.
                if (r.TokenType != JsonTokenType.StartObject)
                {
                    return null;
                }

                while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
                {
                    // A reference of the wrong type (a string where an object belongs) is a decoding error too,
                    // never "not bound": reading it as absent would let a bound token outlive its object.
                    if (r.ValueTextEquals("namespace"u8))
                    {
                        if (!TryString(ref r, out ns)) { return null; }
                    }
                    else if (r.ValueTextEquals("serviceaccount"u8))
                    {
                        if (!TryRef(ref r, out var saRef)) { return null; }
                        sa = saRef ?? sa;
                    }
                    else if (r.ValueTextEquals("warnafter"u8))
                    {
                        if (!TryNumericDate(ref r, out warnAfter)) { return null; }
                    }
                    else if (TryKind(ref r, kinds, out var kind, out var claimName))
                    {
                        if (!TryRef(ref r, out var reference))
                        {
                            return null;
                        }

                        if (reference is not null)
                        {
                            var binding = BoundObjectClaim.For(kind, reference);
                            switch (++bindings)
                            {
                                case 1: first = binding; break;
                                case 2: second = binding; break;
                                default: second = binding; break;
                            }
                        }
                    }
                    else
                    {
                        r.Read();
                        if (r.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
                        {
                            // A binding whose kind is not registered (any more): refuse rather than ignore.
                            unknownBinding = claimName;
                            return null;
                        }
                    }
                }
            }
            else
            {
                r.Read();
                r.Skip();
            }
        }

        if (iss is null)
        {
            return null;
        }

        // One binding, plus the node of an object that runs on one (a pod's): anything more could be checked by nobody.
        BoundObjectClaim? bound = null;
        ObjectReferenceClaim? node = null;
        if (bindings == 1)
        {
            bound = first;
        }
        else if (bindings == 2 && NodeOf(first!, second!, kinds) is { } pair)
        {
            (bound, node) = pair;
        }
        else if (bindings > 1)
        {
            unknownBinding = second!.ClaimName;
            return null;
        }

        return new ServiceAccountTokenClaims
        {
            Issuer = iss,
            Subject = sub ?? string.Empty,
            Audiences = aud,
            Expires = exp,
            IssuedAt = iat,
            NotBefore = nbf,
            Id = jti,
            Namespace = ns ?? string.Empty,
            ServiceAccount = sa,
            BoundObject = bound,
            Node = node,
            WarnAfter = warnAfter,
        };
    }

    // The node member beside the binding of an object that runs on a node (a pod) is information, not a second binding.
    private static (BoundObjectClaim Bound, ObjectReferenceClaim Node)? NodeOf(BoundObjectClaim a, BoundObjectClaim b, BoundObjectKindTable kinds)
    {
        return a.ClaimName == NodeClaimName && kinds.Get(b.Kind).HasNode ? (b, a.Reference)
            : b.ClaimName == NodeClaimName && kinds.Get(a.Kind).HasNode ? (a, b.Reference)
            : null;
    }

    // The members sorted by name, as Go writes a map: namespace, node, serviceaccount, warnafter, and the bound
    // object's member in its place. A fixed member written later replaces an earlier one of the same name, as an
    // assignment to a map would: the binding replaces namespace or serviceaccount; node and warnafter replace it.
    private static void WritePrivate(GoJsonWriter w, ServiceAccountTokenClaims c)
    {
        var bound = c.BoundObject;
        var boundName = bound?.ClaimName;
        if (boundName is not null
            && ((boundName == NodeClaimName && c.Node is not null) || (boundName == "warnafter" && c.WarnAfter is not null)))
        {
            boundName = null;
        }

        w.BeginObject();
        if (!WriteBoundBefore(w, ref boundName, bound, "namespace"))
        {
            w.Name("namespace").String(c.Namespace);
        }

        WriteBoundBefore(w, ref boundName, bound, NodeClaimName);
        if (c.Node is not null)
        {
            w.Name(NodeClaimName);
            WriteRef(w, c.Node);
        }

        if (!WriteBoundBefore(w, ref boundName, bound, "serviceaccount"))
        {
            w.Name("serviceaccount");
            WriteRef(w, c.ServiceAccount);
        }

        WriteBoundBefore(w, ref boundName, bound, "warnafter");
        if (c.WarnAfter is { } warn)
        {
            w.Name("warnafter").Number(warn);
        }

        WriteBoundBefore(w, ref boundName, bound, null);
        w.EndObject();
    }

    // Writes the binding's member, once, when it sorts before or at the next fixed member (null: the end); true when
    // it took that member's own name (and so replaces it).
    private static bool WriteBoundBefore(GoJsonWriter w, ref string? boundName, BoundObjectClaim? bound, string? next)
    {
        if (boundName is null || (next is not null && string.CompareOrdinal(boundName, next) > 0))
        {
            return false;
        }

        w.Name(boundName);
        WriteRef(w, bound!.Reference);
        var replaces = boundName == next;
        boundName = null;
        return replaces;
    }

    private static void WriteRef(GoJsonWriter w, ObjectReferenceClaim r)
    {
        w.BeginObject();
        if (!string.IsNullOrEmpty(r.Name))
        {
            w.Name("name").String(r.Name);
        }

        if (!string.IsNullOrEmpty(r.Uid))
        {
            w.Name("uid").String(r.Uid);
        }

        w.EndObject();
    }

    // null is absent (a nil pointer in Go); an object is a reference; anything else does not decode.
    // Each reader below is positioned on the member's name and leaves the reader on the value's last token.
    private static bool TryRef(ref Utf8JsonReader r, out ObjectReferenceClaim? value)
    {
        value = null;
        r.Read();
        if (r.TokenType == JsonTokenType.Null)
        {
            return true;
        }

        if (r.TokenType != JsonTokenType.StartObject)
        {
            return false;
        }

        string name = string.Empty, uid = string.Empty;
        while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
        {
            if (r.ValueTextEquals("name"u8))
            {
                r.Read();
                name = StringOrNull(ref r) ?? string.Empty;
            }
            else if (r.ValueTextEquals("uid"u8))
            {
                r.Read();
                uid = StringOrNull(ref r) ?? string.Empty;
            }
            else
            {
                r.Read();
            }

            r.Skip();
        }

        value = new ObjectReferenceClaim(name, uid);
        return true;
    }

    // The built-in members' names are constants: no string per read for them.
    private static bool TryKind(ref Utf8JsonReader r, BoundObjectKindTable kinds, out BoundObjectKind kind, out string claimName)
    {
        claimName = r.ValueTextEquals("pod"u8) ? "pod"
            : r.ValueTextEquals("node"u8) ? NodeClaimName
            : r.ValueTextEquals("secret"u8) ? "secret"
            : r.GetString()!;
        return kinds.TryGetByClaimName(claimName, out kind);
    }

    private static string? StringOrNull(ref Utf8JsonReader r) => r.TokenType == JsonTokenType.String ? r.GetString() : null;

    private static bool TryString(ref Utf8JsonReader r, out string? value)
    {
        r.Read();
        value = StringOrNull(ref r);
        return r.TokenType is JsonTokenType.String or JsonTokenType.Null;
    }

    // go-jose's Audience: one string or an array of strings; null is refused too (go-jose's Audience.UnmarshalJSON):
    // read as absent, it would make a legacy token valid for the API audiences.
    private static bool TryAudiences(ref Utf8JsonReader r, out string[] audiences)
    {
        audiences = [];
        r.Read();
        if (r.TokenType == JsonTokenType.String)
        {
            audiences = [r.GetString()!];
            return true;
        }

        if (r.TokenType != JsonTokenType.StartArray)
        {
            return false;
        }

        // Counted on a copy of the reader first, so the list is one array of the right size.
        var counter = r;
        var count = 0;
        while (counter.Read() && counter.TokenType != JsonTokenType.EndArray)
        {
            if (counter.TokenType != JsonTokenType.String)
            {
                return false;
            }

            count++;
        }

        audiences = count == 0 ? [] : new string[count];
        for (var i = 0; i < count; i++)
        {
            r.Read();
            audiences[i] = r.GetString()!;
        }

        r.Read();
        return true;
    }

    // go-jose's NumericDate accepts integers and floats (truncated) and null (absent); a string, a bool or a
    // number out of range is a decoding error that refuses the token. Reading those as "absent" would turn
    // "exp":1e400 or "exp":"1700000000" into a token that never expires.
    private static bool TryNumericDate(ref Utf8JsonReader r, out long? value)
    {
        value = null;
        r.Read();
        if (r.TokenType == JsonTokenType.Null)
        {
            return true;
        }

        if (r.TokenType != JsonTokenType.Number)
        {
            return false;
        }

        if (r.TryGetInt64(out var l))
        {
            value = l;
            return true;
        }

        if (r.TryGetDouble(out var d) && double.IsFinite(d) && d is > long.MinValue and < long.MaxValue)
        {
            value = (long)d;
            return true;
        }

        return false;
    }
}
