#!/usr/bin/env bash
# The Debian packages the service and its tests use beyond Python: graphviz (`dot` lays out the
# pictures of /v1/graph/render and /v1/mlp/render), chromium and chromium-driver (the playground's
# browser test). Name some to install only those (the README's start command asks for graphviz);
# with none named, all three. Installed with apt-get where it exists and this runs as root; elsewhere
# this says what to install and lets the set-up go on: the render endpoints then answer 503, and the
# browser test skips (and fails under CI=true).
set -u

installed() {
    case "$1" in
        graphviz) command -v dot >/dev/null 2>&1 ;;
        chromium) [ -x /usr/bin/chromium ] ;;
        chromium-driver) [ -x /usr/bin/chromedriver ] ;;
    esac
}

missing=()
for package in "${@:-graphviz chromium chromium-driver}"; do
    for name in $package; do
        installed "$name" || missing+=("$name")
    done
done
[ ${#missing[@]} -eq 0 ] && exit 0

if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" -eq 0 ]; then
    echo "installing ${missing[*]} with apt-get" >&2
    if DEBIAN_FRONTEND=noninteractive apt-get update -qq &&
       DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; then
        exit 0
    fi
    echo "apt-get could not install ${missing[*]}; continuing without them" >&2
else
    echo "not installed: ${missing[*]} (on Debian or Ubuntu: sudo apt-get install ${missing[*]}); continuing without them" >&2
fi
exit 0
