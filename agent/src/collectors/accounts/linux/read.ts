// Thin I/O: reads the account databases; shadow only when readable (root).
import { readTextOrUndefined } from '../../linux/procfs.js';
import {
  buildAccounts,
  parseGroup,
  parsePasswd,
  parseShadow,
  type AccountRecord,
  type GroupRecord,
} from '../parse.js';

export async function readAccounts(
  maxItems: number,
  root = '/etc',
): Promise<{ accounts: AccountRecord[] | undefined; groups: GroupRecord[] | undefined }> {
  const [passwd, shadow, group] = await Promise.all([
    readTextOrUndefined(`${root}/passwd`),
    readTextOrUndefined(`${root}/shadow`),
    readTextOrUndefined(`${root}/group`),
  ]);
  return {
    accounts:
      passwd === undefined
        ? undefined
        : buildAccounts(parsePasswd(passwd), shadow === undefined ? undefined : parseShadow(shadow)).slice(
            0,
            maxItems,
          ),
    groups: group === undefined ? undefined : parseGroup(group).slice(0, maxItems),
  };
}
