// Turns parser calls into FeedItems: a RecordError (valid JSON, unusable record) becomes an
// `invalid` item with its position; any other error propagates and stops the import.
import { RecordError, where } from './common.js';
import type { FeedItem } from './types.js';

export function guard(file: string, index: number, make: () => FeedItem): FeedItem {
  try {
    return make();
  } catch (err) {
    if (err instanceof RecordError)
      return { kind: 'invalid', position: where(file, index), message: err.message };
    throw err;
  }
}
