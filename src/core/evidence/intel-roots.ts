/**
 * Intel's real SGX Root CA, pinned: the trust anchor of every genuine SGX and TDX quote (PCK
 * certificate → PCK Platform/Processor CA → this root). It is public; Intel publishes it at
 * https://certificates.trustedservices.intel.com/IntelSGXRootCA.der. This copy was taken from the PCK
 * chain of the real TDX quote in tests/fixtures/real/tdx/spr-e4-quote.dat (google/go-tdx-guest test
 * data, Apache-2.0); tests check it byte for byte against that chain and by its SHA-256 fingerprint.
 */
import { parseCertificate, pemToDer, type Certificate } from './x509';

/** Subject CN=Intel SGX Root CA, ECDSA P-256, valid 2018-05-21 to 2049-12-31. */
export const INTEL_SGX_ROOT_CA_PEM = `-----BEGIN CERTIFICATE-----
MIICjzCCAjSgAwIBAgIUImUM1lqdNInzg7SVUr9QGzknBqwwCgYIKoZIzj0EAwIw
aDEaMBgGA1UEAwwRSW50ZWwgU0dYIFJvb3QgQ0ExGjAYBgNVBAoMEUludGVsIENv
cnBvcmF0aW9uMRQwEgYDVQQHDAtTYW50YSBDbGFyYTELMAkGA1UECAwCQ0ExCzAJ
BgNVBAYTAlVTMB4XDTE4MDUyMTEwNDUxMFoXDTQ5MTIzMTIzNTk1OVowaDEaMBgG
A1UEAwwRSW50ZWwgU0dYIFJvb3QgQ0ExGjAYBgNVBAoMEUludGVsIENvcnBvcmF0
aW9uMRQwEgYDVQQHDAtTYW50YSBDbGFyYTELMAkGA1UECAwCQ0ExCzAJBgNVBAYT
AlVTMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEC6nEwMDIYZOj/iPWsCzaEKi7
1OiOSLRFhWGjbnBVJfVnkY4u3IjkDYYL0MxO4mqsyYjlBalTVYxFP2sJBK5zlKOB
uzCBuDAfBgNVHSMEGDAWgBQiZQzWWp00ifODtJVSv1AbOScGrDBSBgNVHR8ESzBJ
MEegRaBDhkFodHRwczovL2NlcnRpZmljYXRlcy50cnVzdGVkc2VydmljZXMuaW50
ZWwuY29tL0ludGVsU0dYUm9vdENBLmRlcjAdBgNVHQ4EFgQUImUM1lqdNInzg7SV
Ur9QGzknBqwwDgYDVR0PAQH/BAQDAgEGMBIGA1UdEwEB/wQIMAYBAf8CAQEwCgYI
KoZIzj0EAwIDSQAwRgIhAOW/5QkR+S9CiSDcNoowLuPRLsWGf/Yi7GSX94BgwTwg
AiEA4J0lrHoMs+Xo5o/sX6O9QWxHRAvZUGOdRQ7cvqRXaqI=
-----END CERTIFICATE-----
`;

/** SHA-256 of the DER, as Intel and DCAP verifiers (e.g. dcap-qvl) quote it. */
export const INTEL_SGX_ROOT_CA_SHA256 = '44a0196b2b99f889b8e149e95b807a350e7424964399e885a7cbb8ccfab674d3';

let cached: Certificate | undefined;

/** The parsed root (parsed once; callers must not mutate it). */
export function intelSgxRootCa(): Certificate {
  cached ??= parseCertificate(pemToDer(INTEL_SGX_ROOT_CA_PEM)[0]);
  return cached;
}
