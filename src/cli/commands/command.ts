/** One CLI command: its name, a one-line summary for `ccte --help`, its usage and its action. */
export interface Command {
  name: string;
  summary: string;
  usage: string;
  /** `args` are the words after the command name; the command parses its own options. */
  run(args: string[]): Promise<void>;
}
