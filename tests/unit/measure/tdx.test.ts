import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../../src/core/crypto/bytes';
import { parseEventLog, writeEventLog } from '../../../src/core/measure/event-log';
import {
  MrtdBuilder,
  measureMrtd,
  mrtdRecord,
  replayCcel,
  RtmrBank,
  tdxRegisterForPcr,
} from '../../../src/core/measure/tdx';

/**
 * Known answer: a real TDX guest (a Phala dstack CVM) published its event log digests next to the
 * RTMRs of its quote, in the test of rfdlp/tee-solver contracts/solver-registry/src/collateral.rs
 * (tcb_info.event_log[].imr/digest and tcb_info.rtmr0..3). Replaying the digests must give the RTMRs.
 */
const DSTACK_EVENTS: [number, number, string][] = [
  [
    0,
    0x8000000b,
    '0e35f1b315ba6c912cf791e5c79dd9d3a2b8704516aa27d4e5aa78fb09ede04aef2bbd02ac7a8734c48562b9c26ba35d',
  ],
  [
    0,
    0x8000000a,
    '344bc51c980ba621aaa00da3ed7436f7d6e549197dfe699515dfa2c6583d95e6412af21c097d473155875ffd561d6790',
  ],
  [
    0,
    0x80000001,
    '9dc3a1f80bcec915391dcda5ffbb15e7419f77eab462bbf72b42166fb70d50325e37b36f93537a863769bcf9bedae6fb',
  ],
  [
    0,
    0x80000001,
    '6f2e3cbc14f9def86980f5f66fd85e99d63e69a73014ed8a5633ce56eca5b64b692108c56110e22acadcef58c3250f1b',
  ],
  [
    0,
    0x80000001,
    'd607c0efb41c0d757d69bca0615c3a9ac0b1db06c557d992e906c6b7dee40e0e031640c7bfd7bcd35844ef9edeadc6f9',
  ],
  [
    0,
    0x80000001,
    '08a74f8963b337acb6c93682f934496373679dd26af1089cb4eaf0c30cf260a12e814856385ab8843e56a9acea19e127',
  ],
  [
    0,
    0x80000001,
    '18cc6e01f0c6ea99aa23f8a280423e94ad81d96d0aeb5180504fc0f7a40cb3619dd39bd6a95ec1680a86ed6ab0f9828d',
  ],
  [
    0,
    0x00000004,
    '394341b7182cd227c5c6b07ef8000cdfd86136c4292b8e576573ad7ed9ae41019f5818b4b971c9effc60e1ad9f1289f0',
  ],
  [
    0,
    0x0000000a,
    '68cd79315e70aecd4afe7c1b23a5ed7b3b8e51a477e1739f111b3156def86bbc56ebf239dcd4591bc7a9fff90023f481',
  ],
  [
    0,
    0x0000000a,
    '6bc203b3843388cc4918459c3f5c6d1300a796fb594781b7ecfaa3ae7456975f095bfcc1156c9f2d25e8b8bc1b520f66',
  ],
  [
    0,
    0x0000000a,
    'ec9e8622a100c399d71062a945f95d8e4cdb7294e8b1c6d17a6a8d37b5084444000a78b007ef533f290243421256d25c',
  ],
  [
    1,
    0x80000003,
    'b8420535898e24a6abef877153ac1103a695ed07ab9c6c74182d865a560b3b587a34d4bfdc671a505def683cc7bc7596',
  ],
  [
    0,
    0x80000002,
    '1dd6f7b457ad880d840d41c961283bab688e94e4b59359ea45686581e90feccea3c624b1226113f824f315eb60ae0a7c',
  ],
  [
    0,
    0x80000002,
    '23ada07f5261f12f34a0bd8e46760962d6b4d576a416f1fea1c64bc656b1d28eacf7047ae6e967c58fd2a98bfa74c298',
  ],
  [
    1,
    0x80000007,
    '77a0dab2312b4e1e57a84d865a21e5b2ee8d677a21012ada819d0a98988078d3d740f6346bfe0abaa938ca20439a8d71',
  ],
  [
    1,
    0x00000004,
    '394341b7182cd227c5c6b07ef8000cdfd86136c4292b8e576573ad7ed9ae41019f5818b4b971c9effc60e1ad9f1289f0',
  ],
  [
    2,
    0x00000006,
    'a68ac6d65dd62f392826c2ae44f6846363ced3418c96574b3e168de9205c8553b8198c3b9d206bc432d70a923c25b098',
  ],
  [
    2,
    0x00000006,
    '41ee4a6d142b51085c720bad4170207359538d9785391ce10b17536153ea5ba49edaa5a8c36f9f081fdf1b7aeb0ce3f0',
  ],
  [
    1,
    0x80000007,
    '214b0bef1379756011344877743fdc2a5382bac6e70362d624ccf3f654407c1b4badf7d8f9295dd3dabdef65b27677e0',
  ],
  [
    1,
    0x80000007,
    '0a2e01c85deae718a530ad8c6d20a84009babe6c8989269e950d8cf440c6e997695e64d455c4174a652cd080f6230b74',
  ],
  [
    3,
    0x08000001,
    '355eabbaf84843b85bdfba348baf46dc0f3c4e02326f0b23ff124e36bb053327c2f78d745391b5e9da692472be851d74',
  ],
  [
    3,
    0x08000001,
    '9e32d7c700b42f81a06ff6fa619189225000bdd5bb1a7b993572f4ef693ac63495aace277189b3e2524904ae119c4f2e',
  ],
  [
    3,
    0x08000001,
    'b518590d11b84e8109866756a6cd438d707366a330ebc6e83e6fe293dd14d8c562b57dde56b259871fa65ca2bb97d593',
  ],
  [
    3,
    0x08000001,
    '5b6a576d1da40f04179ad469e00f90a1c0044bc9e8472d0da2776acb108dc98a73560d42cea6b8b763eb4a0e6d4d82d5',
  ],
  [
    3,
    0x08000001,
    'a4aefe9aa3924953698d210a2550538c191005c767d65a5f0ef78304d88700cf9bce558f62c979e8480cf303629deb26',
  ],
];
const DSTACK_RTMRS = [
  '85e0855a6384fa1c8a6ab36d0dcbfaa11a5753e5a070c08218ae5fe872fcb86967fd2449c29e22e59dc9fec998cb6547',
  '154e08f5c1f7b1fce4cbfe1c14f3ba67b70044ede2751487279cd1f2e4239dee99a6d45e24ebde6b6a6f5ae49878e0e6',
  '9edcd363660e85b71c318324996dda756c372d9f6960edbfa863b1e684822eb48dd95e218ae2b78e51ef97f3b8f5c9dc',
  '4ac3c9279570e72ed82275275b3daa645868d24251fd357e6bf6a26a59d864797f42e77bdf034b8ce80e5c5c06c81071',
];

describe('RTMR', () => {
  it('replays a real TDX guest’s event digests to the RTMRs of its quote', () => {
    const bank = new RtmrBank();
    for (const [imr, , d] of DSTACK_EVENTS) bank.extend(imr, fromHex(d));
    expect([0, 1, 2, 3].map((i) => toHex(bank.read(i)))).toEqual(DSTACK_RTMRS);
    expect(bank.history.length).toBe(DSTACK_EVENTS.length);
    expect(toHex(bank.history[0].before)).toBe('00'.repeat(48));
  });

  it('replays the same events written as a CC event log (MR index = RTMR + 1)', () => {
    const bytes = writeEventLog({
      algorithms: ['sha384'],
      events: DSTACK_EVENTS.map(([imr, type, d]) => ({
        pcrIndex: imr + 1,
        type,
        data: new Uint8Array(0),
        digests: { sha384: fromHex(d) },
      })),
    });
    const bank = replayCcel(parseEventLog(bytes));
    expect([0, 1, 2, 3].map((i) => toHex(bank.read(i)))).toEqual(DSTACK_RTMRS);
  });

  it('refuses extends that are not 48 bytes and RTMRs that do not exist', () => {
    const bank = new RtmrBank();
    expect(() => bank.extend(0, new Uint8Array(32))).toThrow(/48 bytes/);
    expect(() => bank.extend(4, new Uint8Array(48))).toThrow(/RTMR4 does not exist/);
  });

  it('maps TPM PCRs to TDX registers as UEFI 2.10 §38.4.1 does', () => {
    expect([0, 1, 7, 2, 6, 8, 15, 16].map(tdxRegisterForPcr)).toEqual([
      'MRTD',
      'RTMR0',
      'RTMR0',
      'RTMR1',
      'RTMR1',
      'RTMR2',
      'RTMR2',
      undefined,
    ]);
  });
});

describe('MRTD', () => {
  const page = Uint8Array.from({ length: 4096 }, (_, i) => (i * 7 + 3) & 0xff);

  it('lays out the 128-byte records with the GPA at bytes 16–23', () => {
    const r = mrtdRecord('MEM.PAGE.ADD', 0x1234000n);
    expect(r.length).toBe(128);
    expect(new TextDecoder().decode(r.subarray(0, 12))).toBe('MEM.PAGE.ADD');
    expect(toHex(r.subarray(12, 24))).toBe('00000000' + '0040230100000000');
    expect(r.subarray(24).every((b) => b === 0)).toBe(true);
  });

  it('matches an independent Python hashlib computation of the same records', () => {
    // python3: sha384(rec('MEM.PAGE.ADD',0x1000) + 16 × (rec('MR.EXTEND',0x1000+off) + chunk) + rec('MEM.PAGE.ADD',0x2000))
    const { mrtd, records } = measureMrtd([
      { gpa: 0x1000n, bytes: page, measured: true },
      { gpa: 0x2000n, bytes: new Uint8Array(4096), measured: false },
    ]);
    expect(toHex(mrtd)).toBe(
      '8edb5659741d45ae539c3758a0397f52b9a47c48bb7d73d4bc9525f8743ed411c0d8c6404384939a4473567e8419f1b4',
    );
    expect(records.map((r) => r.operation)).toEqual([
      'MEM.PAGE.ADD',
      ...Array(16).fill('MR.EXTEND'),
      'MEM.PAGE.ADD',
    ]);
    expect(records[2].gpa).toBe(0x1100n);
  });

  it('laws: contents bind only when extended, the GPA always, and nothing after finalize', () => {
    const other = Uint8Array.from(page);
    other[4095] ^= 1;
    const m = (bytes: Uint8Array, measured: boolean, gpa = 0x1000n) =>
      toHex(measureMrtd([{ gpa, bytes, measured }]).mrtd);
    expect(m(page, true)).not.toBe(m(other, true));
    expect(m(page, false)).toBe(m(other, false));
    expect(m(page, false)).not.toBe(m(page, false, 0x2000n));
    const b = new MrtdBuilder().addPage(0n);
    b.finish();
    expect(() => b.addPage(0x1000n)).toThrow(/finalized/);
    expect(() => new MrtdBuilder().addPage(0x10n)).toThrow(/aligned/);
  });
});
