using System.Buffers.Text;
using System.Text;
using System.Text.Json;

namespace TokenAuthority.Pkcs11.Tests.TestSupport;

internal static class Jws
{
    public static JsonElement Header(string token) => Part(token, 0);

    public static JsonElement Payload(string token) => Part(token, 1);

    public static byte[] Signature(string token) => Base64Url.DecodeFromChars(token.Split('.')[2]);

    private static JsonElement Part(string token, int index) =>
        JsonDocument.Parse(Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token.Split('.')[index]))).RootElement.Clone();
}
