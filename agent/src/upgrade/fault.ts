// Build-time fault injection for the upgrade tests (scripts/build-agent --fault no-connect): a
// build made with it dials a closed local port instead of its hub, so it can never confirm and
// must be rolled back. Normal builds and tsx runs leave the URL alone.
declare const __WATCHPOST_BUILD_FAULT__: string | undefined;

export const BUILD_FAULT = typeof __WATCHPOST_BUILD_FAULT__ === 'string' ? __WATCHPOST_BUILD_FAULT__ : '';

export function applyBuildFault(url: string): string {
  if (BUILD_FAULT !== 'no-connect') return url;
  const u = new URL(url);
  u.hostname = '127.0.0.1';
  u.port = '9'; // discard: nothing listens there in the test machine
  return u.toString();
}
