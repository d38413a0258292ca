/** The attack registry, in catalogue order (DOMAIN §c a–o); a test checks file name = id and none left out. */
import type { Attack } from './attack';
import { cpuidLie } from './cpuid-lie';
import { debugPolicy } from './debug-policy';
import { denialOfService } from './denial-of-service';
import { earlySecret } from './early-secret';
import { forgedEvidence } from './forged-evidence';
import { maliciousDma } from './malicious-dma';
import { memoryDump } from './memory-dump';
import { pageRemapReplay } from './page-remap-replay';
import { registerSnoop } from './register-snoop';
import { replayedEvidence } from './replayed-evidence';
import { sharedIoSnoop } from './shared-io-snoop';
import { sideChannel } from './side-channel';
import { tamperedBoot } from './tampered-boot';
import { tcbRollback } from './tcb-rollback';
import { vendorRootCompromise } from './vendor-root-compromise';

export const ATTACKS: readonly Attack[] = [
  memoryDump,
  registerSnoop,
  pageRemapReplay,
  cpuidLie,
  tamperedBoot,
  forgedEvidence,
  replayedEvidence,
  tcbRollback,
  debugPolicy,
  maliciousDma,
  sharedIoSnoop,
  sideChannel,
  denialOfService,
  vendorRootCompromise,
  earlySecret,
];

export function attackById(id: string): Attack {
  const a = ATTACKS.find((x) => x.id === id);
  if (!a) throw new RangeError(`unknown attack '${id}' (known: ${ATTACKS.map((x) => x.id).join(', ')})`);
  return a;
}
