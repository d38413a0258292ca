/**
 * AWS's real Nitro Enclaves attestation root, pinned by value so that a verifier never fetches (and
 * can never be handed) a different one. This is the certificate in
 * https://aws-nitro-enclaves.amazonaws.com/AWS_NitroEnclaves_Root-G1.zip: CN=aws.nitro-enclaves,
 * O=Amazon, OU=AWS, C=US, self-signed ECDSA P-384 / SHA-384, valid 2019-10-28 to 2049-10-28. AWS
 * publishes the SHA-256 fingerprint of its DER (Nitro Enclaves User Guide, "Verifying the root of
 * trust"), which the tests recompute; the same bytes are cabundle[0] of the real documents in
 * tests/fixtures/real/nitro, whose chains verify up to it.
 *
 * Simulated documents chain to the DEMO root in nitro-chain.ts instead, never to this one.
 */
import { fromBase64 } from '../crypto/bytes';
import { parseCertificate, type Certificate } from './x509';

/** AWS-published SHA-256 fingerprint of the root's DER encoding. */
export const AWS_NITRO_ROOT_G1_SHA256 = '641a0321a3e244efe456463195d606317ed7cdcc3c1756e09893f3c68f79bb5b';

const AWS_NITRO_ROOT_G1_BASE64 =
  'MIICETCCAZagAwIBAgIRAPkxdWgbkK/hHUbMtOTn+FYwCgYIKoZIzj0EAwMwSTELMAkGA1UEBhMCVVMxDzANBgNVBAoMBkFt' +
  'YXpvbjEMMAoGA1UECwwDQVdTMRswGQYDVQQDDBJhd3Mubml0cm8tZW5jbGF2ZXMwHhcNMTkxMDI4MTMyODA1WhcNNDkxMDI4' +
  'MTQyODA1WjBJMQswCQYDVQQGEwJVUzEPMA0GA1UECgwGQW1hem9uMQwwCgYDVQQLDANBV1MxGzAZBgNVBAMMEmF3cy5uaXRy' +
  'by1lbmNsYXZlczB2MBAGByqGSM49AgEGBSuBBAAiA2IABPwCVOumCMHzaHDimtqQvkY4MpJzbolL//Zy2YlES1BR5TSksfbb' +
  '48C8WBoyt7F2Bw7eEtaaP+ohG2bnUs990d0JX28TcPQXCEPZ3BABIeTPYwEoCWZEh8l5YoQwTcU/9KNCMEAwDwYDVR0TAQH/' +
  'BAUwAwEB/zAdBgNVHQ4EFgQUkCW1DdkFR+eWw5b6cp3PmanfS5YwDgYDVR0PAQH/BAQDAgGGMAoGCCqGSM49BAMDA2kAMGYC' +
  'MQCjfy+Rocm9Xue4YnwWmNJVA44fA0P5W2OpYow9OYCVRaEevL8uO1XYru5xtMPWrfMCMQCi85sWBbJwKKXdS6BptQFuZbT7' +
  '3o/gBh1qUxl/nNr12UO8Yfwr6wPLb+6NIwLz3/Y=';

/** DER of AWS_NitroEnclaves_Root-G1 (a fresh copy each call, so callers cannot alter the pin). */
export function awsNitroRootG1Der(): Uint8Array {
  return fromBase64(AWS_NITRO_ROOT_G1_BASE64, 'AWS_NitroEnclaves_Root-G1');
}

/** The parsed AWS root, for `trustedRoots`. */
export function awsNitroRootG1(): Certificate {
  return parseCertificate(awsNitroRootG1Der());
}
