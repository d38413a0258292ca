import { beforeAll, describe, expect, it, vi } from 'vitest';
import { matrixCommand } from '../../../src/cli/commands/simulate';
import { runMatrix, type Matrix, type MatrixCell } from '../../../src/model/matrix';
import {
  cellKey,
  cellLabel,
  csvField,
  exportFileName,
  layoutMatrix,
  leakCounts,
  matchesQuery,
  matrixJson,
  matrixToCsv,
  matrixToCsvGrid,
  matrixToJson,
  OUTCOME_LABEL,
  OUTCOMES,
  outcomeLabel,
  outcomeLetter,
  shortenLabel,
  sortAxis,
  viewMatrix,
  type CellRect,
} from '../../../src/ui/lib/matrix-view';

let matrix: Matrix;

beforeAll(() => {
  matrix = runMatrix({ seed: 1 });
});

/** Runs `ccte <args>` in this process, as src/cli/main.ts would, and returns what it printed. */
async function cliStdout(args: string[]): Promise<string> {
  const out: string[] = [];
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out.push(typeof chunk === 'string' ? chunk : new TextDecoder().decode(chunk));
    return true;
  });
  try {
    await matrixCommand.run(args);
  } finally {
    spy.mockRestore();
  }
  return out.join('');
}

/** A hand-made 2 × 3 matrix whose explanations hold everything CSV must quote. */
function tinyMatrix(): Matrix {
  const platforms = [
    { id: 'zeta', name: 'Zeta' },
    { id: 'alpha', name: 'alpha' },
  ];
  const attacks = [
    { id: 'b', name: 'Bravo' },
    { id: 'a', name: 'Alfa' },
    { id: 'c', name: 'Charlie, with a comma' },
  ];
  const outcomes: MatrixCell['outcome'][] = [
    'leaked',
    'prevented',
    'leaked',
    'detected',
    'not-applicable',
    'leaked',
  ];
  const explanations = [
    'plain',
    'a, comma',
    'a "quoted" word',
    'two\nlines',
    'carriage\r\nreturn',
    '"leading quote',
  ];
  const cells: MatrixCell[] = [];
  platforms.forEach((p, i) =>
    attacks.forEach((a, j) =>
      cells.push({
        platform: p.id,
        attack: a.id,
        outcome: outcomes[i * 3 + j],
        explanation: explanations[i * 3 + j],
        decisiveEvents: [{ seq: i * 3 + j, kind: 'attack', title: 't' }],
        sources: ['s'],
      }),
    ),
  );
  return { platforms, attacks, cells };
}

/** Parses RFC 4180 CSV (quoted fields may hold commas, quotes and line breaks). */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      record.push(field);
      field = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      i++;
    } else field += ch;
  }
  expect(field).toBe('');
  expect(record).toEqual([]);
  return records;
}

describe('outcome letters and labels', () => {
  it('gives every outcome a distinct letter and word', () => {
    expect(OUTCOMES.map(outcomeLetter)).toEqual(['L', 'D', 'P', 'O', '–']);
    expect(OUTCOMES.map(outcomeLabel)).toEqual([
      'leaked',
      'detected',
      'prevented',
      'out of scope',
      'not applicable',
    ]);
    expect(Object.keys(OUTCOME_LABEL).sort()).toEqual([...OUTCOMES].sort());
  });

  it('names a cell by platform, attack and outcome', () => {
    expect(
      cellLabel({ id: 'sev-snp', name: 'SEV-SNP' }, { id: 'memory-dump', name: 'Memory dump' }, 'prevented'),
    ).toBe('SEV-SNP × Memory dump: prevented');
  });
});

describe('sorting', () => {
  it('keeps the default order, sorts by name, or puts most leaks first with stable ties', () => {
    const m = tinyMatrix();
    expect(sortAxis(m.platforms, 'default').map((p) => p.id)).toEqual(['zeta', 'alpha']);
    expect(sortAxis(m.platforms, 'name').map((p) => p.id)).toEqual(['alpha', 'zeta']);
    expect(sortAxis(m.attacks, 'name').map((a) => a.id)).toEqual(['a', 'b', 'c']);
    // leaks: zeta 2, alpha 1; attack b 1, a 0, c 2
    expect(leakCounts(m, 'platform')).toEqual(
      new Map([
        ['zeta', 2],
        ['alpha', 1],
      ]),
    );
    expect(sortAxis(m.attacks, 'leaked', leakCounts(m, 'attack')).map((a) => a.id)).toEqual(['c', 'b', 'a']);
    expect(sortAxis(m.platforms, 'leaked', leakCounts(m, 'platform')).map((p) => p.id)).toEqual([
      'zeta',
      'alpha',
    ]);
  });

  it('orders the real matrix by leaks, non-increasing, ties in registry order', () => {
    const leaks = leakCounts(matrix, 'platform');
    const sorted = sortAxis(matrix.platforms, 'leaked', leaks);
    expect(sorted).toHaveLength(matrix.platforms.length);
    for (let i = 1; i < sorted.length; i++) {
      const [a, b] = [leaks.get(sorted[i - 1].id) ?? 0, leaks.get(sorted[i].id) ?? 0];
      expect(a).toBeGreaterThanOrEqual(b);
      if (a === b) {
        const pos = (id: string) => matrix.platforms.findIndex((p) => p.id === id);
        expect(pos(sorted[i - 1].id)).toBeLessThan(pos(sorted[i].id));
      }
    }
    // Plain VMs protect nothing: they leak the most.
    expect(sorted[0].id).toBe('plain-vm');
  });

  it('does not change its input', () => {
    const before = matrix.platforms.map((p) => p.id);
    sortAxis(matrix.platforms, 'name');
    expect(matrix.platforms.map((p) => p.id)).toEqual(before);
  });
});

describe('filtering', () => {
  it('matches ids and names case-insensitively; empty matches all', () => {
    expect(matchesQuery({ id: 'sev-snp', name: 'AMD SEV-SNP' }, ' snp ')).toBe(true);
    expect(matchesQuery({ id: 'sev-snp', name: 'AMD SEV-SNP' }, 'amd')).toBe(true);
    expect(matchesQuery({ id: 'tdx', name: 'Intel TDX' }, 'amd')).toBe(false);
    expect(matchesQuery({ id: 'tdx', name: 'Intel TDX' }, '')).toBe(true);
  });

  it('keeps matching platforms with every attack, or matching attacks with every platform', () => {
    const sev = viewMatrix(matrix, { query: 'sev' });
    expect(sev.platforms.map((p) => p.id)).toEqual(['sev', 'sev-es', 'sev-snp']);
    expect(sev.attacks).toHaveLength(matrix.attacks.length);
    const dma = viewMatrix(matrix, { query: 'dma' });
    expect(dma.platforms).toHaveLength(matrix.platforms.length);
    expect(dma.attacks.map((a) => a.id)).toEqual(['malicious-dma']);
    const none = viewMatrix(matrix, { query: 'no such thing' });
    expect(none.platforms).toEqual([]);
    expect(none.attacks).toEqual([]);
    expect(none.rows).toEqual([]);
  });

  it('dims exactly the cells whose outcome is not chosen, without moving any', () => {
    const all = viewMatrix(matrix);
    const leakedOnly = viewMatrix(matrix, { outcomes: ['leaked'] });
    expect(leakedOnly.platforms).toEqual(all.platforms);
    expect(leakedOnly.attacks).toEqual(all.attacks);
    const flat = leakedOnly.rows.flat();
    expect(flat).toHaveLength(matrix.cells.length);
    for (const v of flat) expect(v.dimmed).toBe(v.cell.outcome !== 'leaked');
    expect(all.rows.flat().every((v) => !v.dimmed)).toBe(true);
    expect(
      viewMatrix(matrix, { outcomes: [] })
        .rows.flat()
        .every((v) => v.dimmed),
    ).toBe(true);
  });

  it('puts each cell at its platform row and attack column after sorting', () => {
    const v = viewMatrix(matrix, { rowOrder: 'name', columnOrder: 'leaked', query: 'a' });
    v.rows.forEach((cells, r) =>
      cells.forEach((vc, c) => {
        expect(vc.cell.platform).toBe(v.platforms[r].id);
        expect(vc.cell.attack).toBe(v.attacks[c].id);
        expect([vc.row, vc.col]).toEqual([r, c]);
      }),
    );
  });
});

describe('CSV export', () => {
  it('quotes fields with commas, quotes, CR or LF and doubles the quotes (RFC 4180)', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField(42)).toBe('42');
    expect(csvField('a, comma')).toBe('"a, comma"');
    expect(csvField('a "quoted" word')).toBe('"a ""quoted"" word"');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('cr\rhere')).toBe('"cr\rhere"');
    expect(csvField('')).toBe('');
  });

  it('long form: header then one CRLF-terminated record per cell, round-tripping every explanation', () => {
    const m = tinyMatrix();
    const csv = matrixToCsv(m);
    expect(csv.startsWith('platform,attack,outcome,explanation\r\n')).toBe(true);
    expect(csv.endsWith('\r\n')).toBe(true);
    expect(csv).toContain('zeta,a,prevented,"a, comma"\r\n');
    expect(csv).toContain('zeta,c,leaked,"a ""quoted"" word"\r\n');
    const records = parseCsv(csv);
    expect(records[0]).toEqual(['platform', 'attack', 'outcome', 'explanation']);
    expect(records.slice(1)).toEqual(m.cells.map((c) => [c.platform, c.attack, c.outcome, c.explanation]));
  });

  it('long form of the real matrix parses back to its 180 cells', () => {
    const records = parseCsv(matrixToCsv(matrix));
    expect(records).toHaveLength(matrix.cells.length + 1);
    expect(records.slice(1)).toEqual(
      matrix.cells.map((c) => [c.platform, c.attack, c.outcome, c.explanation]),
    );
  });

  it('grid form: attack ids across, one record per platform', () => {
    const m = tinyMatrix();
    expect(matrixToCsvGrid(m)).toBe(
      'platform,b,a,c\r\nzeta,leaked,prevented,leaked\r\nalpha,detected,not-applicable,leaked\r\n',
    );
    const real = parseCsv(matrixToCsvGrid(matrix));
    expect(real[0]).toEqual(['platform', ...matrix.attacks.map((a) => a.id)]);
    expect(real.slice(1).map((r) => r[0])).toEqual(matrix.platforms.map((p) => p.id));
    expect(real.slice(1).every((r) => r.length === matrix.attacks.length + 1)).toBe(true);
  });
});

describe('JSON export', () => {
  it('is byte for byte what `ccte matrix --json` prints for the same seed', async () => {
    const printed = await cliStdout(['--json', '--seed', '1']);
    expect(matrixToJson(matrix)).toBe(printed);
  });

  it('has exactly the documented keys, and drops anything else attached to the matrix', () => {
    const decorated = {
      ...matrix,
      extra: true,
      cells: matrix.cells.map((c) => ({ ...c, dimmed: true })),
    } as Matrix;
    const json = matrixJson(decorated);
    expect(Object.keys(json)).toEqual(['platforms', 'attacks', 'cells']);
    expect(Object.keys(json.platforms[0])).toEqual(['id', 'name']);
    expect(Object.keys(json.attacks[0])).toEqual(['id', 'name']);
    expect(Object.keys(json.cells[0])).toEqual([
      'platform',
      'attack',
      'outcome',
      'explanation',
      'decisiveEvents',
      'sources',
    ]);
    expect(Object.keys(json.cells[0].decisiveEvents[0])).toEqual(['seq', 'kind', 'title']);
    expect(json).toEqual(matrix);
  });

  it('names files after the seed and the misconfiguration', () => {
    expect(exportFileName(1, {}, 'csv')).toBe('threat-matrix-seed-1.csv');
    expect(
      exportFileName(7, { noNonce: true, allowDebug: false, secretBeforeAttestation: true }, 'png'),
    ).toBe('threat-matrix-seed-7-no-nonce-secret-before-attestation.png');
  });
});

describe('layout', () => {
  const overlap = (a: CellRect, b: CellRect) =>
    a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

  function checkLayout(width?: number): void {
    const v = viewMatrix(matrix, { rowOrder: 'leaked', columnOrder: 'name' });
    const l = layoutMatrix(v.platforms, v.attacks, { availableWidth: width });
    expect(l.cells).toHaveLength(v.platforms.length * v.attacks.length);
    for (const c of l.cells) {
      expect(c.w).toBeGreaterThan(0);
      expect(c.h).toBeGreaterThan(0);
      expect(c.x).toBeGreaterThanOrEqual(l.grid.x);
      expect(c.y).toBeGreaterThanOrEqual(l.grid.y);
      expect(c.x + c.w).toBeLessThanOrEqual(l.grid.x + l.grid.width + 1e-9);
      expect(c.y + c.h).toBeLessThanOrEqual(l.grid.y + l.grid.height + 1e-9);
      expect(c.x + c.w).toBeLessThanOrEqual(l.width);
      expect(c.y + c.h).toBeLessThanOrEqual(l.height);
      expect(c.platform).toBe(v.platforms[c.row].id);
      expect(c.attack).toBe(v.attacks[c.col].id);
    }
    for (let i = 0; i < l.cells.length; i++)
      for (let j = i + 1; j < l.cells.length; j++) expect(overlap(l.cells[i], l.cells[j])).toBe(false);
    // Row labels end left of the grid; column labels start above it and, rotated, stay inside the box.
    for (const r of l.rowLabels) expect(r.x).toBeLessThan(l.grid.x);
    expect(l.rowLabels.map((r) => r.id)).toEqual(v.platforms.map((p) => p.id));
    for (const c of l.columnLabels) {
      expect(c.y).toBeLessThanOrEqual(l.grid.y);
      const reach = c.label.length * 12 * 0.58 * Math.SQRT1_2;
      expect(c.y - reach).toBeGreaterThanOrEqual(0);
      expect(c.x + reach).toBeLessThanOrEqual(l.width);
    }
  }

  it('places every cell inside the SVG without overlaps, at any width', () => {
    checkLayout();
    checkLayout(360);
    checkLayout(1920);
  });

  it('grows cells with the available width within bounds, and keeps them square', () => {
    const narrow = layoutMatrix(matrix.platforms, matrix.attacks, { availableWidth: 360 });
    const wide = layoutMatrix(matrix.platforms, matrix.attacks, { availableWidth: 1920 });
    expect(narrow.cellSize).toBe(30);
    expect(wide.cellSize).toBe(44);
    expect(narrow.width).toBeGreaterThan(360); // the grid scrolls inside its container
    expect(wide.width).toBeLessThanOrEqual(1920);
    for (const c of wide.cells) expect(c.w).toBeCloseTo(c.h);
  });

  it('shortens long column labels but keeps the full name', () => {
    expect(shortenLabel('short', 10)).toBe('short');
    expect(shortenLabel('Host replays old evidence for a tampered guest', 20)).toBe('Host replays old ev…');
    const l = layoutMatrix(matrix.platforms, matrix.attacks, { maxColumnLabel: 20 });
    for (const c of l.columnLabels) {
      expect(c.label.length).toBeLessThanOrEqual(20);
      expect(matrix.attacks.find((a) => a.id === c.id)?.name).toBe(c.name);
    }
  });

  it('handles an empty view', () => {
    const l = layoutMatrix([], []);
    expect(l.cells).toEqual([]);
    expect(Number.isFinite(l.width) && Number.isFinite(l.height)).toBe(true);
  });

  it('keys cells uniquely', () => {
    const keys = new Set(matrix.cells.map((c) => cellKey(c.platform, c.attack)));
    expect(keys.size).toBe(matrix.cells.length);
  });
});
