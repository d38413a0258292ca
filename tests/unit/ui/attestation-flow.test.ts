import { describe, expect, it } from 'vitest';
import { explore } from '../../../src/model/explore';
import { flowMessages, LANES, laneOfActor, layoutFlow } from '../../../src/ui/lib/layout/attestation-flow';

const snp = explore({ platform: 'sev-snp', attacks: [], misconfiguration: {}, seed: 1 });
const tdxTampered = explore({ platform: 'tdx', attacks: ['tampered-boot'], misconfiguration: {}, seed: 1 });
const replay = explore({
  platform: 'sev-snp',
  attacks: ['replayed-evidence'],
  misconfiguration: { noNonce: true },
  seed: 1,
});

const order = (kinds: string[], wanted: string[]) => wanted.map((k) => kinds.indexOf(k));

describe('attestation-flow layout', () => {
  it('SEV-SNP, background-check: nonce → evidence → result → secret, on the right lanes', () => {
    const all = flowMessages(snp.events, snp.verdict, 'background-check');
    const kinds = all.map((m) => m.kind);
    const at = order(kinds, ['measure', 'nonce', 'evidence', 'forward', 'result', 'secret']);
    expect(at.every((i) => i >= 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    const by = (k: string) => all.find((m) => m.kind === k);
    expect(by('measure')).toMatchObject({ from: 'attester', to: 'attester', implied: false });
    expect(by('nonce')).toMatchObject({ from: 'relying-party', to: 'attester' });
    expect(by('evidence')).toMatchObject({ from: 'attester', to: 'relying-party', via: 'host' });
    expect(by('forward')).toMatchObject({ from: 'relying-party', to: 'verifier', implied: true });
    expect(by('endorsements')).toMatchObject({
      from: 'endorser',
      to: 'verifier',
      implied: true,
      inspect: null,
    });
    expect(by('reference-values')).toMatchObject({ from: 'rvp', to: 'verifier', implied: true });
    expect(by('result')).toMatchObject({
      from: 'verifier',
      to: 'relying-party',
      status: 'affirming',
      accepted: true,
    });
    expect(by('secret')).toMatchObject({ from: 'relying-party', to: 'attester' });
    // Endorsements and reference values reach the verifier before its result.
    expect(kinds.indexOf('endorsements')).toBeLessThan(kinds.indexOf('result'));
    expect(kinds.indexOf('reference-values')).toBeLessThan(kinds.indexOf('result'));
    // Real messages point at their transcript events.
    for (const m of all.filter((m) => !m.implied)) {
      expect(snp.events[m.seq].title).toBe(m.title);
      expect(m.inspect).toBe(snp.events[m.seq].bytes ? m.seq : null);
    }
  });

  it('passport: the same events, the verifier answering the attester, which presents the result', () => {
    const bg = flowMessages(snp.events, snp.verdict, 'background-check').filter((m) => !m.implied);
    const pp = flowMessages(snp.events, snp.verdict, 'passport');
    expect(pp.filter((m) => !m.implied).map((m) => m.seq)).toEqual(bg.map((m) => m.seq));
    const kinds = pp.map((m) => m.kind);
    expect(kinds).not.toContain('forward');
    const at = order(kinds, ['nonce', 'evidence', 'result', 'present', 'secret']);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    const by = (k: string) => pp.find((m) => m.kind === k);
    expect(by('nonce')).toMatchObject({ from: 'verifier', to: 'attester' });
    expect(by('evidence')).toMatchObject({ from: 'attester', to: 'verifier' });
    expect(by('result')).toMatchObject({ from: 'verifier', to: 'attester' });
    expect(by('present')).toMatchObject({ from: 'attester', to: 'relying-party', implied: true });
    expect(by('secret')).toMatchObject({ from: 'relying-party', to: 'attester' });
  });

  it('shows only the messages up to the step, with the latest marked current', () => {
    const width = 1280;
    const none = layoutFlow({
      events: snp.events,
      verdict: snp.verdict,
      step: 0,
      model: 'background-check',
      width,
    });
    expect(none.messages).toHaveLength(0);
    expect(none.total).toBeGreaterThan(0);
    const nonceSeq = snp.events.find((e) => e.kind === 'nonce')?.seq ?? -1;
    const upToNonce = layoutFlow({
      events: snp.events,
      verdict: snp.verdict,
      step: nonceSeq + 1,
      model: 'background-check',
      width,
    });
    expect(upToNonce.messages.map((m) => m.kind)).toEqual(['measure', 'nonce']);
    expect(upToNonce.messages.at(-1)?.current).toBe(true);
    const full = layoutFlow({
      events: snp.events,
      verdict: snp.verdict,
      step: snp.events.length,
      model: 'background-check',
      width,
    });
    expect(full.messages).toHaveLength(full.total);
    // One row per message, in order, arrows between the lanes' lifelines.
    full.messages.forEach((m, i) => {
      expect(m.y).toBe(full.messages[0].y + i * full.rowHeight);
      expect(m.x1).toBe(full.lanes[LANES.indexOf(m.from)].x);
      expect(m.x2).toBe(full.lanes[LANES.indexOf(m.to)].x);
      expect(m.labelX).toBeGreaterThanOrEqual(0);
      expect(m.path).toMatch(/^M/);
    });
    expect(full.height).toBeGreaterThanOrEqual(full.messages.length * full.rowHeight);
  });

  it('fits five lanes and every label into 360 px', () => {
    const l = layoutFlow({
      events: tdxTampered.events,
      verdict: tdxTampered.verdict,
      step: tdxTampered.events.length,
      model: 'passport',
      width: 360,
    });
    expect(l.lanes).toHaveLength(5);
    expect(l.lanes.at(-1)?.left).toBeCloseTo(360 - 72);
    for (const m of l.messages) {
      expect(m.labelX).toBeGreaterThanOrEqual(4);
      expect(
        m.labelX + m.label.length * l.fontSize * (m.current || m.attack ? 0.66 : 0.6),
      ).toBeLessThanOrEqual(360);
    }
  });

  it('TDX with a tampered boot: a result that is not accepted, and no secret release', () => {
    const all = flowMessages(tdxTampered.events, tdxTampered.verdict, 'background-check');
    const result = all.find((m) => m.kind === 'result');
    expect(result).toMatchObject({ status: 'warning', accepted: false });
    expect(all.some((m) => m.kind === 'secret')).toBe(false);
    const refValues = all.find((m) => m.kind === 'reference-values');
    expect(refValues?.title).toMatch(/RTMR1/);
  });

  it('replayed evidence without a nonce: no nonce, the relay marked with its attack', () => {
    const all = flowMessages(replay.events, replay.verdict, 'background-check');
    expect(all.some((m) => m.kind === 'nonce')).toBe(false);
    const relay = all.find((m) => m.kind === 'evidence');
    expect(relay).toMatchObject({ attack: 'replayed-evidence', via: 'host', to: 'relying-party' });
    expect(all.find((m) => m.kind === 'sign')).toMatchObject({ from: 'attester', to: 'attester' });
  });

  it('maps actors to lanes', () => {
    expect(laneOfActor('platform')).toBe('attester');
    expect(laneOfActor('guest')).toBe('attester');
    expect(laneOfActor('host')).toBe('attester');
    expect(laneOfActor('vendor')).toBe('endorser');
    expect(laneOfActor('owner')).toBe('relying-party');
  });
});
