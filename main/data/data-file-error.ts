import { InputError } from '../util/errors';

/**
 * What is wrong with a data file, one name per kind of refusal, the same for every reader and every door:
 * - `file`: missing, unreadable, not a regular file (a folder, a device, a named pipe), or of no known format;
 * - `format`: not what it claims (bad magic, header or encoding), truncated, or with trailing bytes;
 * - `shape`: the wrong number of dimensions, no samples, or a shape that does not match another input;
 * - `dtype`: an element type the reader does not take (or cannot take for that use);
 * - `value`: a NaN, ±∞, a value beyond the samples' magnitude limit, a pixel or a label out of range;
 * - `size`: more bytes, pixels or memory than the limits allow.
 */
export type DataFileProblem = 'file' | 'format' | 'shape' | 'dtype' | 'value' | 'size';

/** A data file refused, naming the file and the problem; an InputError (the doors report it as the user's input). */
export class DataFileError extends InputError {
  constructor(
    readonly problem: DataFileProblem,
    readonly path: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'DataFileError';
  }
}
