import type { Attack } from './attack';

/**
 * The host traces which pages the workload touches (a controlled channel: it unmaps pages and watches
 * the faults), recovering secret-dependent access patterns.
 */
export const sideChannel = {
  id: 'side-channel',
  title: 'Host runs a side-channel attack',
  attacker: 'host',
  phase: 'runtime',
  stride: 'information-disclosure',
  goal: 'secret',
  summary:
    'Cache timing, page-fault tracing, single-stepping and performance counters let a host infer secret-dependent behaviour; most vendors declare these outside their threat model.',
  sources: [
    'Xu, Cui, Peinado: Controlled-channel attacks (2015)',
    'AMD SEV-SNP white paper (2020): side channels out of scope',
    'DOMAIN §c l',
  ],
  decidedBy: 'excludes',
  exclusion: 'side-channels',
  act(host) {
    // The host owns the guest's page tables on every platform modelled here except where the fault is
    // refused; the trace is the order in which the workload touches its pages.
    const gpa = host.secretGpa();
    const r = host.resumeGuest(gpa);
    return [
      {
        what: 'page-access trace of the workload (timing and faults)',
        ...(r.fault ? { fault: r.fault } : {}),
      },
    ];
  },
} as const satisfies Attack;
