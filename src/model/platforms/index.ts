/**
 * The registry of platform profiles: one line per file in this folder, in the order the matrix and
 * the views show them. A test checks that every profile file is listed and that file name = id.
 */
import { cca } from './cca';
import { ibmPef } from './ibm-pef';
import { ibmSe } from './ibm-se';
import { nitro } from './nitro';
import { plainVm } from './plain-vm';
import type { Platform } from './platform';
import { sev } from './sev';
import { sevEs } from './sev-es';
import { sevSnp } from './sev-snp';
import { sgx } from './sgx';
import { tdx } from './tdx';
import { trustzone } from './trustzone';
import { vtpm } from './vtpm';

export const PLATFORMS = [
  plainVm,
  vtpm,
  sev,
  sevEs,
  sevSnp,
  tdx,
  sgx,
  nitro,
  trustzone,
  cca,
  ibmSe,
  ibmPef,
] as const satisfies readonly Platform[];

export type PlatformId = (typeof PLATFORMS)[number]['id'];

/** The profile with this id; a RangeError naming every known id otherwise (ids come from users and scenario files). */
export function platformById(id: string): Platform {
  const platform = PLATFORMS.find((p) => p.id === id);
  if (!platform) {
    throw new RangeError(
      `unknown platform '${id}': expected one of ${PLATFORMS.map((p) => p.id).join(', ')}`,
    );
  }
  return platform;
}
