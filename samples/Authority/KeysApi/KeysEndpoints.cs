using System.Text.Json;
using TokenAuthority.Errors;
using TokenAuthority.Keys;
using TokenAuthority.Keys.Ring;
using TokenAuthority.Samples.Authority.Hosting;

namespace TokenAuthority.Samples.Authority.KeysApi;

/// <summary>
/// The operator's view of the key ring (kid, algorithm, state and times; never key material), its on-demand rotation,
/// which still obeys publish-before-sign, and the revocation of a compromised key. All are for the admin only.
/// </summary>
internal static class KeysEndpoints
{
    /// <summary>The path of the read-only view; <c>POST {Path}/rotate</c> rotates, <c>POST {Path}/{kid}/revoke</c> revokes.</summary>
    public const string Path = "/apis/tokenauthority.dev/v1/keys";

    public static RouteGroupBuilder MapKeysApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup(Path);
        group.MapGet(string.Empty, (ITokenKeySetProvider keys) => keys is IKeyRing ring ? Json(Write(ring.GetKeys(), null, null)) : NoRing());
        group.MapPost("/rotate", async (ITokenKeySetProvider keys, CancellationToken ct) =>
        {
            if (keys is not IKeyRing ring)
            {
                return NoRing();
            }

            var rotation = await ring.RotateNowAsync(ct);
            return Json(Write(ring.GetKeys(), rotation, null));
        });
        group.MapPost("/{kid}/revoke", async (string kid, ITokenKeySetProvider keys, CancellationToken ct) =>
        {
            if (keys is not IKeyRing ring)
            {
                return NoRing();
            }

            var revocation = await ring.RevokeAsync(kid, ct);
            return revocation is null
                ? KubernetesResults.Status(new KubernetesError
                {
                    Code = StatusCodes.Status404NotFound,
                    Reason = "NotFound",
                    Message = $"the key ring holds no key \"{kid}\" (GET {Path} lists them)",
                })
                : Json(Write(ring.GetKeys(), null, revocation));
        });
        return group;
    }

    private static IResult NoRing() => KubernetesResults.Status(new KubernetesError
    {
        Code = StatusCodes.Status404NotFound,
        Reason = "NotFound",
        Message = "no key ring is configured: the signing key is a file (TokenAuthority:SigningKeyFile or SigningKeyPem)",
    });

    private static IResult Json(byte[] body) => Results.Bytes(body, "application/json");

    private static byte[] Write(IReadOnlyList<KeyRingKey> keys, KeyRingRotation? rotation, KeyRingRevocation? revocation)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            if (rotation is not null)
            {
                w.WriteStartObject("rotation");
                w.WriteString("kid", rotation.KeyId);
                w.WriteString("activates", rotation.Activates);
                w.WriteBoolean("immediate", rotation.Immediate);
                w.WriteString("message", rotation.Message);
                w.WriteEndObject();
            }

            if (revocation is not null)
            {
                w.WriteStartObject("revocation");
                w.WriteString("kid", revocation.KeyId);
                w.WriteString("signingKid", revocation.SigningKeyId);
                w.WriteString("message", revocation.Message);
                w.WriteEndObject();
            }

            w.WriteStartArray("keys");
            foreach (var k in keys)
            {
                w.WriteStartObject();
                w.WriteString("kid", k.KeyId);
                w.WriteString("alg", k.Algorithm);
                w.WriteString("state", k.State.ToString());
                w.WriteString("published", k.Published);
                w.WriteString("activates", k.Activates);
                if (k.Retires is { } retires)
                {
                    w.WriteString("retires", retires);
                }

                if (k.RemoveAfter is { } removeAfter)
                {
                    w.WriteString("removeAfter", removeAfter);
                }

                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        return buffer.ToArray();
    }
}
