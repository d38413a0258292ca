import { PAGE_BYTES } from '../../core/crypto/memory-cipher';
import type { Attack, Observation } from './attack';

/**
 * The host replays an older ciphertext of the secret's page and then points the page at another frame,
 * letting the guest run in between, to make it act on stale or foreign data.
 */
export const pageRemapReplay = {
  id: 'page-remap-replay',
  title: 'Host remaps and replays guest pages',
  attacker: 'host',
  phase: 'runtime',
  stride: 'tampering',
  goal: 'integrity',
  summary:
    'The host writes back an older copy of a guest page (replay), then swaps the guest-physical mapping to another frame (remap); without integrity protection the guest silently reads stale or foreign data.',
  sources: [
    'SEVered (Morbitzer et al., 2018)',
    'AMD SEV-SNP white paper (2020): Reverse Map Table',
    'DOMAIN §c c',
  ],
  decidedBy: 'integrity',
  act(host) {
    const gpa = host.secretGpa();
    const hpa = host.hpaOf(gpa);
    const observations: Observation[] = [];
    // Replay: an all-zero page stands for "an older version" the host recorded before the secret arrived.
    try {
      host.writeFrame(hpa, new Uint8Array(PAGE_BYTES));
      const r = host.resumeGuest(gpa);
      observations.push({
        what: 'guest read after the replayed frame',
        ...r,
        guestActedOnTamperedState: r.silentlyWrong,
      });
    } catch (e) {
      observations.push({ what: 'replay write', fault: (e as Error).message });
    }
    // Remap: point the secret's GPA at another frame of the same guest.
    const other = host.guestFrames().find((f) => f !== hpa);
    if (other !== undefined) {
      host.remap(gpa, other);
      const r = host.resumeGuest(gpa);
      observations.push({
        what: 'guest read after the remap',
        ...r,
        guestActedOnTamperedState: r.silentlyWrong,
      });
    }
    return observations;
  },
} as const satisfies Attack;
