using TokenAuthority.Samples.Authority.Storage;
using TokenAuthority.Errors;

namespace TokenAuthority.Samples.Authority.ObjectsApi;

/// <summary>
/// The <c>fieldSelector</c> and <c>labelSelector</c> of a list request (<c>kubectl get pods --field-selector metadata.name=web-0</c>,
/// <c>-l app=web</c>), applied as kube-apiserver applies them, never ignored: a selector that is not honoured would list the
/// wrong objects. Fields: <c>metadata.name</c> and <c>metadata.namespace</c> with <c>=</c>, <c>==</c> or <c>!=</c>; any other
/// field is kube-apiserver's 400 <c>field label not supported</c>. Labels: the sample's objects carry none, so a requirement
/// that needs a label (<c>app=web</c>, <c>app</c>, <c>app in (a,b)</c>) matches nothing and one that needs its absence
/// (<c>app!=web</c>, <c>!app</c>, <c>app notin (a)</c>) matches everything.
/// </summary>
internal static class ObjectsListSelectors
{
    /// <summary>The filter the query asks for (null: every object), or the Status to answer.</summary>
    public static (Func<StoredObject, bool>? Filter, KubernetesError? Error) Parse(IQueryCollection query)
    {
        var filters = new List<Func<StoredObject, bool>>();
        foreach (var requirement in Split(query["fieldSelector"].ToString()))
        {
            var (key, op, value) = SplitField(requirement);
            if (op is null)
            {
                return (null, KubernetesError.BadRequest($"invalid selector: '{requirement}'; can't understand '{requirement}'"));
            }

            Func<StoredObject, string?>? field = key switch
            {
                "metadata.name" => o => o.Name,
                "metadata.namespace" => o => o.Namespace,
                _ => null,
            };
            if (field is null)
            {
                return (null, KubernetesError.BadRequest($"field label not supported: {key}"));
            }

            var equal = op != "!=";
            filters.Add(o => string.Equals(field(o) ?? string.Empty, value, StringComparison.Ordinal) == equal);
        }

        foreach (var requirement in Split(query["labelSelector"].ToString()))
        {
            // No object has labels: only requirements on a label's absence hold.
            var holds = requirement.StartsWith('!') || requirement.Contains("!=", StringComparison.Ordinal) || requirement.Contains(" notin ", StringComparison.Ordinal);
            if (!holds)
            {
                filters.Add(_ => false);
            }
        }

        return filters.Count == 0 ? (null, null) : (o => filters.TrueForAll(f => f(o)), null);
    }

    private static (string Key, string? Op, string Value) SplitField(string requirement)
    {
        foreach (var op in new[] { "!=", "==", "=" })
        {
            var at = requirement.IndexOf(op, StringComparison.Ordinal);
            if (at > 0)
            {
                return (requirement[..at].Trim(), op, requirement[(at + op.Length)..].Trim());
            }
        }

        return (requirement, null, string.Empty);
    }

    /// <summary>Splits at the commas outside parentheses; blank parts are dropped.</summary>
    private static IEnumerable<string> Split(string selector)
    {
        var depth = 0;
        var start = 0;
        for (var i = 0; i <= selector.Length; i++)
        {
            if (i == selector.Length || (selector[i] == ',' && depth == 0))
            {
                var part = selector[start..i].Trim();
                if (part.Length > 0)
                {
                    yield return part;
                }

                start = i + 1;
            }
            else if (selector[i] == '(')
            {
                depth++;
            }
            else if (selector[i] == ')')
            {
                depth--;
            }
        }
    }
}
