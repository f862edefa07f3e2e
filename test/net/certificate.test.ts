import { ed25519 as noble } from '@noble/curves/ed25519.js';
import { X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { networkCertificate, networkPublicKey } from '../../src/net/index.js';
import { expectRefusal, expectRejection } from '../_support/refusals.js';
import { Rng, testSeed } from '../_support/seed.js';

describe('network keys and certificates', () => {
  it('derives the RFC 8032 public key of a seed (as @noble/curves does)', () => {
    const rng = new Rng(testSeed('network public keys'));
    for (let i = 0; i < 20; i++) {
      const seed = rng.bytes(32);
      expect(networkPublicKey(seed)).toEqual(noble.getPublicKey(seed));
    }
  });

  it('self-signs an X.509 certificate of the Ed25519 network key', async () => {
    const seed = new Uint8Array(32).fill(7);
    const { key, cert } = await networkCertificate(seed);
    const certificate = new X509Certificate(cert);
    expect(certificate.publicKey.asymmetricKeyType).toBe('ed25519');
    expect(new Uint8Array(certificate.publicKey.export({ format: 'der', type: 'spki' }).subarray(-32))).toEqual(networkPublicKey(seed));
    expect(certificate.checkIssued(certificate)).toBe(true);
    expect(certificate.verify(certificate.publicKey)).toBe(true);
    expect(certificate.checkPrivateKey((await import('node:crypto')).createPrivateKey(key))).toBe(true);
    expect(certificate.subject).toBe(`CN=swarmguard-${Buffer.from(networkPublicKey(seed).subarray(0, 8)).toString('hex')}`);
  });

  it('refuses a seed that is not 32 bytes', async () => {
    expectRefusal(() => networkPublicKey(new Uint8Array(31)), 'range', 'networkPublicKey', 'seed', 'must be 32 bytes, got 31');
    expectRefusal(() => networkPublicKey('seed' as never), 'type', 'networkPublicKey', 'seed');
    await expectRejection(() => networkCertificate(new Uint8Array(33)), 'range', 'networkCertificate', 'seed');
  });
});
