/**
 * The threat matrix as the view shows it: order, filters, letters and labels, exports and the cell
 * geometry. Pure (no DOM, no workers), so every rule here is tested without a browser; the component
 * (views/ThreatMatrix.svelte) only draws what these functions return.
 */
import { scaleBand } from 'd3';
import type { Matrix, MatrixCell } from '../../model/matrix';
import type { Outcome } from '../../model/outcome';
import type { Misconfiguration } from '../../model/run-types';
import { en } from '../i18n/en';
import { fitUnits, textUnits } from '../i18n/width';

/** The matrix's axes: a platform (row) or an attack (column). */
export interface AxisItem {
  id: string;
  name: string;
}

/** Every outcome, in the order the legend and the filter list them (worst first). */
export const OUTCOMES = [
  'leaked',
  'detected',
  'prevented',
  'out-of-scope',
  'not-applicable',
] as const satisfies readonly Outcome[];

/**
 * The letter drawn in each cell, so the grid never relies on colour alone. The CLI's text table uses
 * the same letters, with an ASCII '-' for "not applicable". The page draws the current language's
 * signs (src/ui/i18n `outcomeLetters`); these are the English ones.
 */
export const OUTCOME_LETTER: Readonly<Record<Outcome, string>> = en.outcomeLetters;

/**
 * The outcome in English words, for accessible names, the legend and the details. The words live in
 * the UI catalogues (src/ui/i18n): the page shows the current language's, this is the English one.
 */
export const OUTCOME_LABEL: Readonly<Record<Outcome, string>> = en.outcomes;

export function outcomeLetter(outcome: Outcome): string {
  return OUTCOME_LETTER[outcome];
}

export function outcomeLabel(outcome: Outcome): string {
  return OUTCOME_LABEL[outcome];
}

/** The words of a cell's name, from a UI catalogue: its outcome words and how the name is put together. */
export interface CellWords {
  outcomes: Readonly<Record<Outcome, string>>;
  cell: (platform: string, attack: string, outcome: string) => string;
}

const ENGLISH_CELL: CellWords = { outcomes: en.outcomes, cell: en.threatMatrix.cell };

/** "AMD SEV-SNP × Host administrator dumps guest memory: prevented" (in English unless `words` say otherwise) */
export function cellLabel(
  platform: AxisItem,
  attack: AxisItem,
  outcome: Outcome,
  words: CellWords = ENGLISH_CELL,
): string {
  return words.cell(platform.name, attack.name, words.outcomes[outcome]);
}

// ---------------------------------------------------------------------------------------------------
// Lookup, order and filters

/** A key for one cell; NUL cannot occur in an id, so no two (platform, attack) pairs share a key. */
export function cellKey(platform: string, attack: string): string {
  return `${platform}\u0000${attack}`;
}

export function indexCells(matrix: Matrix): Map<string, MatrixCell> {
  return new Map(matrix.cells.map((c) => [cellKey(c.platform, c.attack), c]));
}

export const SORT_ORDERS = ['default', 'name', 'leaked'] as const;
/** default: the registry's order (as the CLI prints it); name: alphabetical; leaked: most leaks first. */
export type SortOrder = (typeof SORT_ORDERS)[number];

/** How many cells of each platform (`by: 'platform'`) or attack (`by: 'attack'`) leaked. */
export function leakCounts(matrix: Matrix, by: 'platform' | 'attack'): Map<string, number> {
  const counts = new Map<string, number>();
  for (const c of matrix.cells) {
    if (c.outcome === 'leaked') counts.set(c[by], (counts.get(c[by]) ?? 0) + 1);
  }
  return counts;
}

const collator = new Intl.Collator('en', { sensitivity: 'base', numeric: true });

/**
 * The axis in the chosen order. Leak counts are over the whole matrix (not only the visible part), so
 * filtering never reshuffles what is left; ties keep the default order (the sort is stable).
 */
export function sortAxis<T extends AxisItem>(
  items: readonly T[],
  order: SortOrder,
  leaks: ReadonlyMap<string, number> = new Map(),
): T[] {
  const sorted = [...items];
  if (order === 'name')
    sorted.sort((a, b) => collator.compare(a.name, b.name) || collator.compare(a.id, b.id));
  if (order === 'leaked') sorted.sort((a, b) => (leaks.get(b.id) ?? 0) - (leaks.get(a.id) ?? 0));
  return sorted;
}

/** Case-insensitive substring match on the id or the name; an empty query matches everything. */
export function matchesQuery(item: AxisItem, query: string): boolean {
  const q = query.trim().toLowerCase();
  return q === '' || item.id.toLowerCase().includes(q) || item.name.toLowerCase().includes(q);
}

export interface MatrixViewOptions {
  rowOrder?: SortOrder;
  columnOrder?: SortOrder;
  /** Outcomes shown at full strength; cells with any other outcome stay in place, dimmed. */
  outcomes?: Iterable<Outcome>;
  /**
   * Text filter. Rows are the platforms whose id or name contains it (all of them when none does),
   * columns likewise the attacks; when it matches neither a platform nor an attack, nothing is left.
   * So "sev" keeps the three SEV rows and every column, "dma" keeps every row and the DMA column.
   */
  query?: string;
}

export interface ViewCell {
  cell: MatrixCell;
  /** Row and column index in the view (after sorting and the text filter). */
  row: number;
  col: number;
  /** Its outcome is not among the chosen outcomes. */
  dimmed: boolean;
}

export interface MatrixView {
  platforms: AxisItem[];
  attacks: AxisItem[];
  /** rows[r][c] is the cell of platforms[r] × attacks[c]. */
  rows: ViewCell[][];
}

/** The rows, columns and cells to draw for the chosen order and filters. */
export function viewMatrix(matrix: Matrix, options: MatrixViewOptions = {}): MatrixView {
  const query = options.query ?? '';
  const shown = new Set<Outcome>(options.outcomes ?? OUTCOMES);
  const byQuery = <T extends AxisItem>(items: readonly T[]) => items.filter((i) => matchesQuery(i, query));
  let platforms = byQuery(matrix.platforms);
  let attacks = byQuery(matrix.attacks);
  if (platforms.length === 0 && attacks.length > 0) platforms = [...matrix.platforms];
  if (attacks.length === 0 && platforms.length > 0) attacks = [...matrix.attacks];
  platforms = sortAxis(platforms, options.rowOrder ?? 'default', leakCounts(matrix, 'platform'));
  attacks = sortAxis(attacks, options.columnOrder ?? 'default', leakCounts(matrix, 'attack'));

  const index = indexCells(matrix);
  const rows = platforms.map((p, row) =>
    attacks.map((a, col) => {
      const cell = index.get(cellKey(p.id, a.id));
      if (!cell) throw new RangeError(`matrix: no cell for platform '${p.id}' × attack '${a.id}'`);
      return { cell, row, col, dimmed: !shown.has(cell.outcome) };
    }),
  );
  return { platforms, attacks, rows };
}

// ---------------------------------------------------------------------------------------------------
// Exports

/**
 * The matrix exactly as `ccte matrix --json` prints it (src/cli/commands/simulate.ts prints the
 * `Matrix` from runMatrix): `{ platforms:[{id,name}], attacks:[{id,name}], cells:[{platform, attack,
 * outcome, explanation, decisiveEvents:[{seq,kind,title}], sources}] }`, keys in that order. Built
 * field by field, so whatever the page attaches to a matrix never leaks into the file.
 */
export function matrixJson(matrix: Matrix): Matrix {
  return {
    platforms: matrix.platforms.map(({ id, name }) => ({ id, name })),
    attacks: matrix.attacks.map(({ id, name }) => ({ id, name })),
    cells: matrix.cells.map((c) => ({
      platform: c.platform,
      attack: c.attack,
      outcome: c.outcome,
      explanation: c.explanation,
      decisiveEvents: c.decisiveEvents.map(({ seq, kind, title }) => ({ seq, kind, title })),
      sources: [...c.sources],
    })),
  };
}

/** The file `ccte matrix --json > matrix.json` writes: two-space indentation and a final newline. */
export function matrixToJson(matrix: Matrix): string {
  return `${JSON.stringify(matrixJson(matrix), null, 2)}\n`;
}

/** One CSV field (RFC 4180): quoted when it holds a comma, a quote, CR or LF; quotes doubled. */
export function csvField(value: string | number): string {
  const s = String(value);
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

function csvRecords(records: readonly (readonly (string | number)[])[]): string {
  return records.map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n';
}

/**
 * The CSV export (the page's "CSV" button), long form — one record per cell, which any spreadsheet or
 * dataframe reads without reshaping and which has room for the explanation:
 *
 *   platform,attack,outcome,explanation
 *   sev-snp,memory-dump,prevented,"The attacker obtained only ciphertext, …"
 *
 * Ids, not display names; outcomes as the model spells them (`out-of-scope`); cells in the matrix's
 * own order (platforms, then attacks, as runMatrix made them), whatever the view's sort or filter.
 * RFC 4180: CRLF after every record including the last, fields quoted as `csvField` does.
 */
export function matrixToCsv(matrix: Matrix): string {
  return csvRecords([
    ['platform', 'attack', 'outcome', 'explanation'],
    ...matrix.cells.map((c) => [c.platform, c.attack, c.outcome, c.explanation]),
  ]);
}

/**
 * The same outcomes as a grid, like the picture: a header `platform,<attack id>…`, then one record per
 * platform with its outcome per attack. No explanations; same quoting and line ends as `matrixToCsv`.
 */
export function matrixToCsvGrid(matrix: Matrix): string {
  const index = indexCells(matrix);
  return csvRecords([
    ['platform', ...matrix.attacks.map((a) => a.id)],
    ...matrix.platforms.map((p) => [
      p.id,
      ...matrix.attacks.map((a) => index.get(cellKey(p.id, a.id))?.outcome ?? ''),
    ]),
  ]);
}

/** "threat-matrix-seed-7-no-nonce.csv": the seed and misconfiguration say which run the file holds. */
export function exportFileName(seed: number, misconfiguration: Misconfiguration, extension: string): string {
  const flags = (['noNonce', 'allowDebug', 'secretBeforeAttestation'] as const)
    .filter((k) => misconfiguration[k])
    .map((k) => k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`));
  return ['threat-matrix', 'seed', String(seed), ...flags].join('-') + `.${extension}`;
}

// ---------------------------------------------------------------------------------------------------
// Geometry

export interface MatrixLayoutOptions {
  /** Width the grid may fill (its container's); cells grow to fit it, within [minCell, maxCell]. */
  availableWidth?: number;
  minCell?: number;
  maxCell?: number;
  /** Gap between cells as a fraction of the step (d3 band padding). */
  padding?: number;
  /** Label font size in px; label room is estimated from it (no text measuring without a DOM). */
  fontSize?: number;
  /** Column labels longer than this are cut with "…" (the full name stays in the accessible name). */
  maxColumnLabel?: number;
}

export interface CellRect {
  platform: string;
  attack: string;
  row: number;
  col: number;
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface RowLabel extends AxisItem {
  /** Right end of the label (text-anchor: end) and the row's vertical centre. */
  x: number;
  y: number;
}

export interface ColumnLabel extends AxisItem {
  /** The text drawn (maybe shortened). */
  label: string;
  /** Where the label starts; it is drawn rotated by `COLUMN_LABEL_ANGLE` around this point. */
  x: number;
  y: number;
}

export interface MatrixLayout {
  width: number;
  height: number;
  cellSize: number;
  /** The grid's box, below the column labels and right of the row labels. */
  grid: { x: number; y: number; width: number; height: number };
  cells: CellRect[];
  rowLabels: RowLabel[];
  columnLabels: ColumnLabel[];
}

/** Column labels rise to the right at this angle (degrees, SVG rotate: negative is anticlockwise). */
export const COLUMN_LABEL_ANGLE = -45;

/** An average glyph is at most ~0.6 em wide in the UI's sans-serif faces; estimating high is safe. */
const GLYPH_EM = 0.58;

/** `name` cut to `max` character units (a CJK glyph counts as wide: i18n/width.ts), ending in "…". */
export function shortenLabel(name: string, max: number): string {
  return fitUnits(name, max);
}

/**
 * Where every label and cell goes: row labels on the left, column labels rotated above, cells in a
 * d3 band grid. Cells are square; the SVG box holds every label (estimated) and every cell.
 */
export function layoutMatrix(
  platforms: readonly AxisItem[],
  attacks: readonly AxisItem[],
  options: MatrixLayoutOptions = {},
): MatrixLayout {
  const fontSize = options.fontSize ?? 12;
  const minCell = options.minCell ?? 30;
  const maxCell = Math.max(minCell, options.maxCell ?? 44);
  const padding = options.padding ?? 0.08;
  const maxColumnLabel = options.maxColumnLabel ?? 48;
  const glyph = fontSize * GLYPH_EM;
  const gutter = 8;

  const rowHeaderWidth = Math.ceil(
    Math.max(0, ...platforms.map((p) => textUnits(p.name))) * glyph + 2 * gutter,
  );
  const labels = attacks.map((a) => shortenLabel(a.name, maxColumnLabel));
  const rad = (Math.abs(COLUMN_LABEL_ANGLE) * Math.PI) / 180;
  const longest = Math.max(0, ...labels.map((l) => textUnits(l))) * glyph;
  // A rotated label reaches up by L·sin θ and right by L·cos θ, plus its own height across.
  const columnHeaderHeight = Math.ceil(longest * Math.sin(rad) + fontSize + gutter);
  const overhang = Math.ceil(longest * Math.cos(rad) + fontSize);

  const n = Math.max(1, attacks.length);
  const fit = options.availableWidth
    ? Math.floor((options.availableWidth - rowHeaderWidth - overhang) / n)
    : maxCell;
  const cellSize = Math.min(maxCell, Math.max(minCell, fit));

  // With inner padding p, a band scale's step is length / (n − p): this length makes the step exactly
  // `cellSize` on both axes (square cells), and rounding keeps every edge on a whole pixel.
  const band = (ids: string[], start: number) =>
    scaleBand<string>()
      .domain(ids)
      .range([start, start + cellSize * Math.max(0, ids.length - padding)])
      .paddingInner(padding)
      .round(true);
  const x = band(
    attacks.map((a) => a.id),
    rowHeaderWidth,
  );
  const y = band(
    platforms.map((p) => p.id),
    columnHeaderHeight,
  );
  const extent = (scale: typeof x) =>
    scale.domain().length > 0 ? (scale.domain().length - 1) * scale.step() + scale.bandwidth() : 0;
  const gridWidth = extent(x);
  const gridHeight = extent(y);
  const at = (scale: typeof x, id: string) => scale(id) ?? 0;

  const cells: CellRect[] = [];
  platforms.forEach((p, row) =>
    attacks.forEach((a, col) =>
      cells.push({
        platform: p.id,
        attack: a.id,
        row,
        col,
        x: at(x, a.id),
        y: at(y, p.id),
        w: x.bandwidth(),
        h: y.bandwidth(),
      }),
    ),
  );
  const lastColumnCentre = attacks.length > 0 ? at(x, attacks[attacks.length - 1].id) + x.bandwidth() / 2 : 0;
  return {
    width: Math.ceil(Math.max(rowHeaderWidth + gridWidth, lastColumnCentre + overhang)),
    height: Math.ceil(columnHeaderHeight + gridHeight),
    cellSize,
    grid: { x: rowHeaderWidth, y: columnHeaderHeight, width: gridWidth, height: gridHeight },
    cells,
    rowLabels: platforms.map((p) => ({
      id: p.id,
      name: p.name,
      x: rowHeaderWidth - gutter,
      y: at(y, p.id) + y.bandwidth() / 2,
    })),
    columnLabels: attacks.map((a, i) => ({
      id: a.id,
      name: a.name,
      label: labels[i],
      x: at(x, a.id) + x.bandwidth() / 2,
      y: columnHeaderHeight - gutter / 2,
    })),
  };
}
