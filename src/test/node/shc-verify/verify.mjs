// Verifies a SMART Health Card JWS against a JWKS URL and prints its header, the key's thumbprint
// and its inflated payload as one JSON line. Exits non-zero when the signature does not verify.
import { calculateJwkThumbprint, compactVerify, createLocalJWKSet, decodeProtectedHeader } from 'jose';
import { inflateRawSync } from 'node:zlib';

const [jws, jwksUrl] = process.argv.slice(2);
const jwks = await (await fetch(jwksUrl)).json();
const header = decodeProtectedHeader(jws);
const key = jwks.keys.find((k) => k.kid === header.kid);
if (!key) {
  console.error(`no published key has kid ${header.kid}`);
  process.exit(2);
}
const { payload } = await compactVerify(jws, createLocalJWKSet(jwks), { algorithms: ['ES256'] });
const card = JSON.parse(inflateRawSync(Buffer.from(payload)).toString('utf8'));
console.log(JSON.stringify({ header, thumbprint: await calculateJwkThumbprint(key), payload: card }));
