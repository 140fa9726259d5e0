// Which distro ecosystems a host's packages belong to, from its os-release facts. Intel spells
// ecosystems as OSV does (`Debian:12`, `Ubuntu:22.04:LTS`, `Alpine:v3.19`, `Rocky Linux:9`); one
// host may be named several ways (Ubuntu LTS vs Pro), so this returns every spelling to look up.

export interface HostOs {
  osId: string | null;
  osVersion: string | null;
  osCodename: string | null;
}

export interface HostEcosystems {
  /** Version scheme key for compareVersions (the first spelling), or null for an unknown OS. */
  primary: string | null;
  /** Every ecosystem spelling whose distro verdicts apply to this host, most specific first. */
  all: string[];
}

const DEBIAN_CODENAMES: Readonly<Record<string, string>> = {
  jessie: '8',
  stretch: '9',
  buster: '10',
  bullseye: '11',
  bookworm: '12',
  trixie: '13',
  forky: '14',
};

const RPM_DISTROS: Readonly<Record<string, string>> = {
  rhel: 'Red Hat',
  rocky: 'Rocky Linux',
  almalinux: 'AlmaLinux',
  ol: 'Oracle Linux',
  opensuse: 'openSUSE',
  'opensuse-leap': 'openSUSE',
  sles: 'SUSE',
  mageia: 'Mageia',
  openeuler: 'openEuler',
};

const major = (v: string): string => v.split('.')[0] ?? v;

export function hostEcosystems(os: HostOs): HostEcosystems {
  const id = (os.osId ?? '').trim().toLowerCase();
  const version = (os.osVersion ?? '').trim();
  const codename = (os.osCodename ?? '').trim().toLowerCase();
  const out: string[] = [];
  if (id === 'debian') {
    const release = /^\d+/.test(version) ? major(version) : (DEBIAN_CODENAMES[codename] ?? '');
    if (release !== '') out.push(`Debian:${release}`);
    // Testing/unstable hosts carry no VERSION_ID; the tracker's `sid` verdicts are theirs.
    else out.push(codename === '' || codename === 'sid' ? 'Debian:sid' : `Debian:${codename}`);
  } else if (id === 'ubuntu' && /^\d+\.\d+/.test(version)) {
    const v = /^\d+\.\d+/.exec(version)?.[0] ?? version;
    out.push(`Ubuntu:${v}`, `Ubuntu:${v}:LTS`, `Ubuntu:Pro:${v}:LTS`);
  } else if (id === 'alpine' && /^\d+\.\d+/.test(version)) {
    out.push(`Alpine:v${/^\d+\.\d+/.exec(version)?.[0] ?? version}`);
  } else if (RPM_DISTROS[id] !== undefined && version !== '') {
    out.push(`${RPM_DISTROS[id]}:${major(version)}`);
  }
  return { primary: out[0] ?? null, all: out };
}

/** Package managers whose packages are built by the distro (backports: trust only distro data). */
export const DISTRO_MANAGERS: ReadonlySet<string> = new Set(['dpkg', 'rpm', 'apk']);

/** OSV ecosystem of a language package manager; null for distro and unknown managers. */
export function languageEcosystem(manager: string): string | null {
  const m: Record<string, string> = {
    npm: 'npm',
    pip: 'PyPI',
    pypi: 'PyPI',
    gem: 'RubyGems',
    cargo: 'crates.io',
    go: 'Go',
    maven: 'Maven',
    nuget: 'NuGet',
    composer: 'Packagist',
  };
  return m[manager.toLowerCase()] ?? null;
}
