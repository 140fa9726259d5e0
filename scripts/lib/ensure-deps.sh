# Shared by scripts/start and scripts/test: install what a fresh machine lacks.

# npm ci when node_modules is missing or older than the lock file.
ensure_node_modules() {
  if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    echo "installing npm packages (npm ci)…"
    npm ci --no-audit --no-fund || return 1
  fi
}

# ensure_apt_tools CMD...: installs Debian packages of the same name when the command is missing.
ensure_apt_tools() {
  local missing=()
  for tool in "$@"; do command -v "$tool" >/dev/null 2>&1 || missing+=("$tool"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing ${missing[*]} (apt-get)…"
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"; } >/dev/null \
      || echo "warning: apt-get could not install ${missing[*]}"
  else
    echo "note: ${missing[*]} not installed and not root: install it with your package manager (features that need it report it missing)"
  fi
}

# ensure_apt_packages PKG...: installs Debian packages that provide no command (fonts, …) when missing.
ensure_apt_packages() {
  local missing=()
  for pkg in "$@"; do dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing ${missing[*]} (apt-get)…"
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"; } >/dev/null \
      || echo "warning: apt-get could not install ${missing[*]}"
  else
    echo "note: ${missing[*]} not installed and not root: install it with your package manager"
  fi
}
