using System.Text.Json;
using TokenAuthority.Binding;

namespace TokenAuthority.Claims;

/// <summary>Writes and reads the JWT payload of a service-account token.</summary>
internal static class ClaimsSerializer
{
    private const string NodeClaimName = "node";

    /// <summary>The payload as Kubernetes writes it: compact, keys sorted at every level.</summary>
    public static string Serialize(ServiceAccountTokenClaims claims)
    {
        var w = new GoJsonWriter().BeginObject();
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
        return w.EndObject().ToString();
    }

    /// <summary>
    /// Reads a verified payload. Returns null when it is not a JSON object of the expected shape, and also sets
    /// <paramref name="unknownBinding"/> when the <c>kubernetes.io</c> claim binds the token to something no known kind
    /// explains: an object- or array-valued member that is neither built in nor registered, or a second registered binding.
    /// </summary>
    public static ServiceAccountTokenClaims? Read(JsonElement payload, BoundObjectKindTable kinds, out string? unknownBinding)
    {
        unknownBinding = null;
        if (payload.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        string? iss = null, sub = null, jti = null, ns = null;
        long? exp = null, iat = null, nbf = null, warnAfter = null;
        var aud = new List<string>();
        ObjectReferenceClaim sa = new(string.Empty, string.Empty);
        List<BoundObjectClaim>? bindings = null;

        foreach (var p in payload.EnumerateObject())
        {
            switch (p.Name)
            {
                // go-jose decodes these into strings: another type refuses the token, null leaves them empty.
                case "iss": if (!TryString(p.Value, out iss)) { return null; } break;
                case "sub": if (!TryString(p.Value, out sub)) { return null; } break;
                case "jti": if (!TryString(p.Value, out jti)) { return null; } break;
                case "exp": if (!TryNumericDate(p.Value, out exp)) { return null; } break;
                case "iat": if (!TryNumericDate(p.Value, out iat)) { return null; } break;
                case "nbf": if (!TryNumericDate(p.Value, out nbf)) { return null; } break;
                case "aud":
                    if (p.Value.ValueKind == JsonValueKind.String)
                    {
                        aud.Add(p.Value.GetString()!);
                    }
                    else if (p.Value.ValueKind == JsonValueKind.Array)
                    {
                        foreach (var a in p.Value.EnumerateArray())
                        {
                            if (a.ValueKind != JsonValueKind.String)
                            {
                                return null;
                            }

                            aud.Add(a.GetString()!);
                        }
                    }
                    else
                    {
                        // go-jose's Audience.UnmarshalJSON refuses null too: read as absent, it would make a
                        // legacy token valid for the API audiences.
                        return null;
                    }

                    break;
                case ServiceAccountTokenClaims.PrivateClaimName:
                    if (p.Value.ValueKind == JsonValueKind.Null)
                    {
                        break;
                    }

                    // Kubernetes decodes this claim into a struct: any other type is a decoding error.
                    if (p.Value.ValueKind != JsonValueKind.Object)
                    {
                        return null;
                    }

                    foreach (var k in p.Value.EnumerateObject())
                    {
                        // A reference of the wrong type (a string where an object belongs) is a decoding error too,
                        // never "not bound": reading it as absent would let a bound token outlive its object.
                        switch (k.Name)
                        {
                            case "namespace": if (!TryString(k.Value, out ns)) { return null; } break;
                            case "serviceaccount": if (!TryRef(k.Value, out var saRef)) { return null; } sa = saRef ?? sa; break;
                            case "warnafter": if (!TryNumericDate(k.Value, out warnAfter)) { return null; } break;
                            default:
                                if (kinds.TryGetByClaimName(k.Name, out var kind))
                                {
                                    if (!TryRef(k.Value, out var r))
                                    {
                                        return null;
                                    }

                                    if (r is not null)
                                    {
                                        (bindings ??= []).Add(BoundObjectClaim.For(kind, r));
                                    }
                                }
                                else if (k.Value.ValueKind is JsonValueKind.Object or JsonValueKind.Array)
                                {
                                    // A binding whose kind is not registered (any more): refuse rather than ignore.
                                    unknownBinding = k.Name;
                                    return null;
                                }

                                break;
                        }
                    }

                    break;
            }
        }

        if (iss is null)
        {
            return null;
        }

        // One binding, plus the node of an object that runs on one (a pod's): anything more could be checked by nobody.
        BoundObjectClaim? bound = null;
        ObjectReferenceClaim? node = null;
        if (bindings is { Count: 1 })
        {
            bound = bindings[0];
        }
        else if (bindings is { Count: 2 } && NodeOf(bindings, kinds) is { } pair)
        {
            (bound, node) = pair;
        }
        else if (bindings is { Count: > 1 })
        {
            unknownBinding = bindings[^1].ClaimName;
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
    private static (BoundObjectClaim Bound, ObjectReferenceClaim Node)? NodeOf(List<BoundObjectClaim> bindings, BoundObjectKindTable kinds)
    {
        var (a, b) = (bindings[0], bindings[1]);
        return a.ClaimName == NodeClaimName && kinds.Get(b.Kind).HasNode ? (b, a.Reference)
            : b.ClaimName == NodeClaimName && kinds.Get(a.Kind).HasNode ? (a, b.Reference)
            : null;
    }

    private static void WritePrivate(GoJsonWriter w, ServiceAccountTokenClaims c)
    {
        var members = new SortedDictionary<string, Action>(StringComparer.Ordinal)
        {
            ["namespace"] = () => w.String(c.Namespace),
            ["serviceaccount"] = () => WriteRef(w, c.ServiceAccount),
        };
        if (c.BoundObject is { } bound)
        {
            members[bound.ClaimName] = () => WriteRef(w, bound.Reference);
        }

        if (c.Node is not null)
        {
            members[NodeClaimName] = () => WriteRef(w, c.Node);
        }

        if (c.WarnAfter is { } warn)
        {
            members["warnafter"] = () => w.Number(warn);
        }

        w.BeginObject();
        foreach (var (name, write) in members)
        {
            w.Name(name);
            write();
        }

        w.EndObject();
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
    private static bool TryRef(JsonElement e, out ObjectReferenceClaim? value)
    {
        value = e.ValueKind == JsonValueKind.Object ? Ref(e) : null;
        return e.ValueKind is JsonValueKind.Object or JsonValueKind.Null;
    }

    private static ObjectReferenceClaim Ref(JsonElement e)
    {
        string name = string.Empty, uid = string.Empty;
        foreach (var p in e.EnumerateObject())
        {
            if (p.NameEquals("name"))
            {
                name = StringOrNull(p.Value) ?? string.Empty;
            }
            else if (p.NameEquals("uid"))
            {
                uid = StringOrNull(p.Value) ?? string.Empty;
            }
        }

        return new ObjectReferenceClaim(name, uid);
    }

    private static string? StringOrNull(JsonElement e) => e.ValueKind == JsonValueKind.String ? e.GetString() : null;

    private static bool TryString(JsonElement e, out string? value)
    {
        value = StringOrNull(e);
        return e.ValueKind is JsonValueKind.String or JsonValueKind.Null;
    }

    // go-jose's NumericDate accepts integers and floats (truncated) and null (absent); a string, a bool or a
    // number out of range is a decoding error that refuses the token. Reading those as "absent" would turn
    // "exp":1e400 or "exp":"1700000000" into a token that never expires.
    private static bool TryNumericDate(JsonElement e, out long? value)
    {
        value = null;
        if (e.ValueKind == JsonValueKind.Null)
        {
            return true;
        }

        if (e.ValueKind != JsonValueKind.Number)
        {
            return false;
        }

        if (e.TryGetInt64(out var l))
        {
            value = l;
            return true;
        }

        if (e.TryGetDouble(out var d) && double.IsFinite(d) && d is > long.MinValue and < long.MaxValue)
        {
            value = (long)d;
            return true;
        }

        return false;
    }
}
