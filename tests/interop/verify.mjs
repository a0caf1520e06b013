// Verifies a TokenAuthority token against the running server's JWKS with jose (createRemoteJWKSet + jwtVerify).
// Usage: node verify.mjs <jwksUrl> <issuer> <audience> <token>
// Exit 0 and the verified payload as JSON on stdout; exit 1 and the jose error code on stderr when verification fails.
// The test server's self-signed certificate is trusted through NODE_EXTRA_CA_CERTS.
import { createRemoteJWKSet, jwtVerify } from 'jose';

const [jwksUrl, issuer, audience, token] = process.argv.slice(2);
if (!token) {
  console.error('usage: node verify.mjs <jwksUrl> <issuer> <audience> <token>');
  process.exit(2);
}

try {
  const jwks = createRemoteJWKSet(new URL(jwksUrl), { timeoutDuration: 10000 });
  const { payload, protectedHeader } = await jwtVerify(token, jwks, { issuer, audience });
  process.stdout.write(JSON.stringify({ header: protectedHeader, payload }));
} catch (e) {
  process.stderr.write(`${e.code ?? 'ERROR'}: ${e.message}`);
  process.exit(1);
}
