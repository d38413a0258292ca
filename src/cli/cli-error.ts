/** An error meant for the person at the terminal: one line, no stack, and the exit code to use. */
export class CliError extends Error {
  constructor(
    message: string,
    /** 2 = the command line was wrong (usage); 1 = the input or the check failed. */
    readonly exitCode: 1 | 2 = 1,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

export const usageError = (message: string) => new CliError(message, 2);
