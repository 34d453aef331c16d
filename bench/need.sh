# Sourced by the bench scripts: installs, from Debian's packages, the tools given that are missing.
need() {
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo=sudo
  for tool in "$@"; do
    if ! command -v "$tool" >/dev/null; then
      echo "installing $tool"
      $sudo apt-get install -y -q "$tool" >/dev/null
    fi
  done
}
