import { createPrivateKey, createPublicKey, type KeyObject, randomBytes, webcrypto } from 'node:crypto';
import type { TLSSocket } from 'node:tls';
import { requireByteLength } from '../check/index.js';

// A validator's network key is an Ed25519 key of its own (not its consensus key). Its TLS
// certificate is self-signed with it: no CA vouches for anyone; each side pins the key it meets
// in the handshake to the validator set instead.

/** RFC 8410's PKCS#8 prefix of an Ed25519 private key: the 32-byte seed follows. */
const PKCS8_ED25519_PREFIX = Uint8Array.from([0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20]);

/** Validity of a certificate, which nobody checks (the key is what is pinned): long enough never to matter. */
const VALIDITY_MS = 100 * 365 * 24 * 3600 * 1000;

function privateKeyOf(seed: Uint8Array): KeyObject {
  const der = new Uint8Array(PKCS8_ED25519_PREFIX.length + 32);
  der.set(PKCS8_ED25519_PREFIX);
  der.set(seed, PKCS8_ED25519_PREFIX.length);
  return createPrivateKey({ key: Buffer.from(der.buffer), format: 'der', type: 'pkcs8' });
}

/** The raw 32 bytes of an Ed25519 public key (the end of its SPKI encoding). */
function rawPublicKey(key: KeyObject): Uint8Array {
  return new Uint8Array(key.export({ format: 'der', type: 'spki' }).subarray(-32));
}

/** The 32-byte Ed25519 public network key of a 32-byte seed: what genesis lists for the validator. */
export function networkPublicKey(seed: Uint8Array): Uint8Array {
  requireByteLength(seed, 'networkPublicKey', 'seed', 32);
  return rawPublicKey(createPublicKey(privateKeyOf(seed)));
}

/** A PEM private key and a PEM certificate self-signed with it, as `node:tls` takes them. */
export interface NetworkCertificate {
  key: string;
  cert: string;
}

/** Builds the self-signed X.509 certificate of the network key with seed `seed`. */
export async function networkCertificate(seed: Uint8Array): Promise<NetworkCertificate> {
  requireByteLength(seed, 'networkCertificate', 'seed', 32);
  // Loaded on first use: @peculiar/x509 needs reflect-metadata installed before it loads.
  await import('reflect-metadata');
  const x509 = await import('@peculiar/x509');
  x509.cryptoProvider.set(webcrypto as Crypto);
  const privateKey = privateKeyOf(seed);
  const publicKey = createPublicKey(privateKey);
  const algorithm = { name: 'Ed25519' };
  const keys = {
    privateKey: await webcrypto.subtle.importKey('pkcs8', privateKey.export({ format: 'der', type: 'pkcs8' }), algorithm, false, ['sign']),
    publicKey: await webcrypto.subtle.importKey('spki', publicKey.export({ format: 'der', type: 'spki' }), algorithm, true, ['verify']),
  };
  const raw = rawPublicKey(publicKey);
  const now = Date.now();
  const serial = randomBytes(16);
  serial[0] &= 0x7f; // a positive serial number (RFC 5280 §4.1.2.2)
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial.toString('hex'),
    name: `CN=swarmguard-${Buffer.from(raw.subarray(0, 8)).toString('hex')}`,
    notBefore: new Date(now - 24 * 3600 * 1000),
    notAfter: new Date(now + VALIDITY_MS),
    signingAlgorithm: algorithm,
    keys: keys as CryptoKeyPair,
  });
  return { key: privateKey.export({ format: 'pem', type: 'pkcs8' }) as string, cert: certificate.toString('pem') };
}

/**
 * The raw Ed25519 public key of the certificate `socket`'s peer presented, or null when it
 * presented none or a key of another type. The handshake proved the peer holds its private key.
 */
export function peerNetworkKey(socket: TLSSocket): Uint8Array | null {
  const certificate = socket.getPeerX509Certificate();
  if (certificate === undefined || certificate.publicKey.asymmetricKeyType !== 'ed25519') return null;
  return rawPublicKey(certificate.publicKey);
}
