namespace TokenAuthority.AspNetCore.Tests.Http.Support;

/// <summary>TokenRequest bodies captured from kubectl 1.32 (clients doc section 1.3).</summary>
public static class ProtobufFixtures
{
    /// <summary><c>--audience api --audience vault --duration 10m</c>.</summary>
    public const string AudiencesAndDuration = "azhzAAooChhhdXRoZW50aWNhdGlvbi5rOHMuaW8vdjESDFRva2VuUmVxdWVzdBIpChAKABIAGgAiACoAMgA4AEIAEg8KA2FwaQoFdmF1bHQg2AQaBAoAEgAaACIA";

    /// <summary><c>--bound-object-kind Pod --bound-object-name web-0 --bound-object-uid 1234</c>.</summary>
    public const string PodBinding = "azhzAAooChhhdXRoZW50aWNhdGlvbi5rOHMuaW8vdjESDFRva2VuUmVxdWVzdBIyChAKABIAGgAiACoAMgA4AEIAEhgaFgoDUG9kEgJ2MRoFd2ViLTAiBDEyMzQaBAoAEgAaACIA";

    /// <summary><c>--bound-object-kind Node --bound-object-name web-0 --bound-object-uid 1234</c>.</summary>
    public const string NodeBinding = "azhzAAooChhhdXRoZW50aWNhdGlvbi5rOHMuaW8vdjESDFRva2VuUmVxdWVzdBIzChAKABIAGgAiACoAMgA4AEIAEhkaFwoETm9kZRICdjEaBXdlYi0wIgQxMjM0GgQKABIAGgAiAA==";

    /// <summary>No flags (or <c>--duration 0</c>).</summary>
    public const string NoFlags = "azhzAAooChhhdXRoZW50aWNhdGlvbi5rOHMuaW8vdjESDFRva2VuUmVxdWVzdBIaChAKABIAGgAiACoAMgA4AEIAEgAaBAoAEgAaACIA";

    /// <summary><c>--duration 48h</c>.</summary>
    public const string Duration48h = "azhzAAooChhhdXRoZW50aWNhdGlvbi5rOHMuaW8vdjESDFRva2VuUmVxdWVzdBIeChAKABIAGgAiACoAMgA4AEIAEgQggMYKGgQKABIAGgAiAA==";

    public static byte[] Bytes(string base64) => Convert.FromBase64String(base64);
}
