#!/usr/bin/env bash
# Install the system packages the book needs beyond Python, where this machine lets us:
#   scripts/system_packages.sh chromium fonts-nanum
# Debian's chromium prints the PDFs (scripts/make_pdf.py) and runs the browser tests; fonts-nanum
# shows the glossary's Korean terms (and the Korean edition) in the screenshots and the PDFs.
# `make book` and `make test` run it first (SYSTEM_PACKAGES in the Makefile; `make book SYSTEM_PACKAGES=`
# skips it). It installs with apt-get on Debian/Ubuntu when it runs as root or password-less sudo works;
# anywhere else (macOS, Windows, no root) it installs nothing, says so in one line, and exits 0: the HTML
# book is still built, and the PDF step says how to get a Chromium (Playwright's own works too).
# It always exits 0: a machine without these packages still builds the HTML of both editions. In CI
# (CI set) the PDF and browser tests fail when the packages are missing, so a failed install shows there.
set -u
[ "$#" -gt 0 ] || exit 0

if ! command -v apt-get >/dev/null 2>&1 || ! command -v dpkg-query >/dev/null 2>&1; then
  echo "system packages: no apt-get here (not Debian/Ubuntu), so $* are not installed by make;" \
    "the HTML is built either way"
  exit 0
fi

missing=()
for package in "$@"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
[ "${#missing[@]}" -gt 0 ] || exit 0

if [ "$(id -u)" -eq 0 ]; then
  sudo=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  sudo=(sudo -n)
else
  echo "system packages: ${missing[*]} missing, and installing them needs root:" \
    "sudo apt-get install ${missing[*]} (make goes on without them)"
  exit 0
fi

echo "system packages: installing ${missing[*]} with apt-get"
if ! { "${sudo[@]}" apt-get update -qq &&
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null; }; then
  echo "system packages: apt-get could not install ${missing[*]} (make goes on without them)"
fi
exit 0
