/**
 * A parse error that says where: the format, the field, the byte offset and what was wrong, e.g.
 * `tcg-event-log: event 17 digest count at offset 0x3c4: 9 exceeds the 2 algorithms in the header`.
 * Parsers throw it at their boundary; callers (CLI, UI, verifier) show `message` as it is.
 */
export class FormatError extends Error {
  constructor(
    readonly format: string,
    readonly field: string,
    readonly offset: number,
    readonly detail: string,
  ) {
    super(`${format}: ${field} at offset 0x${offset.toString(16)}: ${detail}`);
    this.name = 'FormatError';
  }
}
