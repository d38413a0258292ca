import { describe, expect, it } from 'vitest';
import { explore } from '../../../src/model/explore';
import type { ExplorerRun } from '../../../src/model/explore-types';
import {
  FIRST_ROWS,
  attackerReadFor,
  attackerReads,
  dumpRows,
  findBytes,
  guestPane,
  hostPane,
  mergeRanges,
  namesAddress,
  pickPage,
  secretLocation,
  secretStoreEvent,
  secretStored,
  totalRows,
  uniformByte,
} from '../../../src/ui/lib/memory-view';
import { defined } from '../defined';

const runs = new Map<string, ExplorerRun>();
const run = (platform: string, attack: string): ExplorerRun => {
  const key = `${platform}/${attack}`;
  let r = runs.get(key);
  if (!r) {
    r = explore({ platform, attacks: [attack], misconfiguration: {}, seed: 1 });
    runs.set(key, r);
  }
  return r;
};
const secretPage = (r: ExplorerRun) =>
  defined(
    r.memory.pages.find((p) => p.label === 'secret'),
    'secret page',
  );

describe('findBytes: a byte-aligned hex search', () => {
  it('finds whole bytes only, overlaps included', () => {
    expect(findBytes('00aabb00aabb', 'aabb')).toEqual([1, 4]);
    // "ab" straddles bytes 0x0a|0xbc here: not a match.
    expect(findBytes('0abc', 'ab')).toEqual([]);
    expect(findBytes('aaaaaa', 'aaaa')).toEqual([0, 1]);
    expect(findBytes('AABB', 'aabb')).toEqual([0]);
    expect(findBytes('aabb', '')).toEqual([]);
  });

  it('merges ranges and finds a uniform byte', () => {
    expect(
      mergeRanges([
        [4, 8],
        [0, 2],
        [2, 3],
        [6, 10],
      ]),
    ).toEqual([
      [0, 3],
      [4, 10],
    ]);
    expect(uniformByte('ffffff')).toBe(0xff);
    expect(uniformByte('ff00')).toBeNull();
    expect(uniformByte('')).toBeNull();
  });
});

describe('memory panes from the real bytes', () => {
  it('SEV-SNP memory dump: the guest view holds the secret, the host view does not', () => {
    const r = run('sev-snp', 'memory-dump');
    const page = secretPage(r);
    const guest = guestPane(r, page);
    expect(guest.location).toEqual([0, 32]);
    expect(guest.holdsSecretAtLocation).toBe(true);
    expect(guest.found).toContain(0);
    const host = hostPane(r, page);
    expect(host.kind).toBe('ciphertext');
    expect(host.found).toEqual([]);
    expect(host.verdict).toBe('ciphertext');
    expect(host.marks).toEqual([]);
    // The verdict agrees with a plain search of the host's bytes.
    expect(page.hostView.includes(r.secret)).toBe(false);
  });

  it('plain VM memory dump: the host view holds the secret', () => {
    const r = run('plain-vm', 'memory-dump');
    const host = hostPane(r, secretPage(r));
    expect(host.kind).toBe('plaintext');
    expect(host.verdict).toBe('secret');
    expect(host.found).toEqual([0]);
    expect(host.marks).toEqual([[0, 32]]);
  });

  it('plain VM: a plaintext page without the secret says so', () => {
    const r = run('plain-vm', 'memory-dump');
    const heap = defined(r.memory.pages.find((p) => p.label === 'heap'));
    expect(hostPane(r, heap).verdict).toBe('plaintext');
    expect(secretLocation(r, heap)).toBeNull();
  });

  it('SGX memory dump: the host reads abort values (every byte 0xff)', () => {
    const r = run('sgx', 'memory-dump');
    const host = hostPane(r, secretPage(r));
    expect(host.kind).toBe('abort-values');
    expect(host.verdict).toBe('abort-values');
    expect(host.uniformByte).toBe(0xff);
    expect(host.found).toEqual([]);
  });

  it('a page the host cannot map: fault, no bytes', () => {
    const r = run('nitro', 'memory-dump');
    const page = secretPage(r);
    expect(page.hostViewKind).toBe('fault');
    expect(hostPane(r, page).verdict).toBe('fault');
  });

  it('the shared I/O buffer: the host reads the secret the workload put there', () => {
    const r = run('sev-snp', 'memory-dump');
    const shared = defined(r.memory.pages.find((p) => p.kind === 'shared'));
    const host = hostPane(r, shared);
    expect(shared.hostViewKind).toBe('plaintext');
    expect(host.verdict).toBe('secret');
    expect(host.found.length).toBe(1);
    expect(shared.hostView.slice(2 * host.found[0], 2 * host.found[0] + 64)).toBe(r.secret);
  });

  it("notices when the bytes at the secret's location are no longer the secret", () => {
    const r = run('sev-snp', 'memory-dump');
    const page = secretPage(r);
    const changed = { ...page, guestView: '00'.repeat(4096) };
    expect(guestPane(r, page).holdsSecretAtLocation).toBe(true);
    expect(guestPane(r, changed).holdsSecretAtLocation).toBe(false);
    expect(guestPane(r, changed).marks).toEqual([[0, 32]]);
    // SEV-ES after a remap: whatever the page holds, the check reads the real bytes.
    const remapped = run('sev-es', 'page-remap-replay');
    expect(guestPane(remapped, secretPage(remapped)).holdsSecretAtLocation).toBe(
      secretPage(remapped).guestView.startsWith(remapped.secret),
    );
  });

  it('picks the requested page, else the secret page', () => {
    const r = run('sev-snp', 'memory-dump');
    expect(pickPage(r, '0x3000')?.label).toBe('shared I/O buffer');
    expect(pickPage(r, undefined)?.label).toBe('secret');
    expect(pickPage(r, '0xdead000')?.label).toBe('secret');
  });
});

describe('hex dump rows', () => {
  it('marks the secret in the hex and the ASCII column', () => {
    const hex = '41424344' + '00'.repeat(12) + '4546';
    const rows = dumpRows(hex, 16, [[1, 3]], null);
    expect(rows).toHaveLength(2);
    expect(rows[0].offset).toBe('0x000');
    expect(rows[0].hex).toEqual([
      { text: '41 ', mark: false },
      { text: '42 43', mark: true },
      { text: ' 44 ' + Array(12).fill('00').join(' '), mark: false },
    ]);
    expect(rows[0].ascii).toEqual([
      { text: 'A', mark: false },
      { text: 'BC', mark: true },
      { text: 'D............', mark: false },
    ]);
    expect(rows[1].hex).toEqual([{ text: '45 46', mark: false }]);
  });

  it('shows the first rows only until asked for all', () => {
    const r = run('sev-snp', 'memory-dump');
    const page = secretPage(r);
    expect(totalRows(page.guestView, 16)).toBe(256);
    expect(totalRows(page.guestView, 8)).toBe(512);
    expect(dumpRows(page.guestView, 16, [], FIRST_ROWS)).toHaveLength(FIRST_ROWS);
    expect(dumpRows(page.guestView, 16, [], null)).toHaveLength(256);
  });
});

describe('what the attacker got, by step', () => {
  it('nothing before the first read; the reads that had happened after it', () => {
    const r = run('sev-snp', 'memory-dump');
    const reads = r.events.filter((e) => e.attack === 'memory-dump' && e.kind === 'page-read');
    expect(reads.length).toBeGreaterThan(0);
    const first = reads[0].seq;
    expect(attackerReads(r, first)).toEqual([]);
    expect(attackerReadFor(r, first, secretPage(r))).toBeNull();
    expect(attackerReads(r, first + 1).map((x) => x.event.seq)).toEqual([first]);
    expect(attackerReads(r, r.events.length)).toHaveLength(reads.length);
  });

  it('prefers the read of the selected page, else the latest', () => {
    const r = run('sev-snp', 'memory-dump');
    const page = secretPage(r);
    const all = r.events.length;
    const forPage = defined(attackerReadFor(r, all, page));
    expect(forPage.event.title).toContain(page.hpa);
    expect(forPage.verdict).toBe('no-secret-bytes');
    const shared = defined(r.memory.pages.find((p) => p.kind === 'shared'));
    const latest = defined(attackerReadFor(r, all, shared));
    expect(latest.event.seq).toBe(attackerReads(r, all).at(-1)?.event.seq);
  });

  it('plain VM: the read of the secret frame contains the secret', () => {
    const r = run('plain-vm', 'memory-dump');
    const read = defined(attackerReadFor(r, r.events.length, secretPage(r)));
    expect(read.verdict).toBe('secret');
    expect(read.found).toEqual([0]);
  });

  it('register snoop on SEV: the saved registers hold the secret', () => {
    const r = run('sev', 'register-snoop');
    const read = defined(attackerReadFor(r, r.events.length, secretPage(r)));
    expect(read.event.kind).toBe('registers');
    expect(read.verdict).toBe('secret');
  });

  it('a page-remap event carries no bytes', () => {
    const r = run('sev-es', 'page-remap-replay');
    const remaps = attackerReads(r, r.events.length).filter((x) => x.event.kind === 'page-remap');
    expect(remaps.length).toBeGreaterThan(0);
    const empty = remaps.filter((x) => x.bytes === '');
    expect(empty.length).toBeGreaterThan(0);
    for (const x of empty) expect(x.verdict).toBe('empty');
  });

  it('names an address as a whole number only', () => {
    expect(namesAddress('frame 0x100001000 as the host read it', '0x100001000')).toBe(true);
    expect(namesAddress('frame 0x100001000 as the host read it', '0x1000')).toBe(false);
    expect(namesAddress('while it uses GPA 0x1000 (faults)', '0x1000')).toBe(true);
  });
});

describe('before the secret is stored', () => {
  it('says not-yet until the page-write event has happened', () => {
    const r = run('sev-snp', 'memory-dump');
    const store = defined(secretStoreEvent(r));
    expect(store.kind).toBe('page-write');
    expect(secretStored(r, 0)).toBe('not-yet');
    expect(secretStored(r, store.seq)).toBe('not-yet');
    expect(secretStored(r, store.seq + 1)).toBe('stored');
  });
});
