/** The most this page reads of one file: real evidence is at most a few hundred KiB. */
export const MAX_FILE_BYTES = 16 * 1024 * 1024;
