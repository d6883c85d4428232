#!/usr/bin/env bash
# Rebuilds common-passwords.txt from the ranked "passwords" frequency list that ships
# in the npm package zxcvbn (MIT licence). See README.md beside this script.
#
# Usage: bash crates/domain/data/make-common-passwords.sh
# Needs: npm and node (any recent version), access to the npm registry.
set -euo pipefail

PACKAGE="zxcvbn"
VERSION="4.4.2"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="$here/common-passwords.txt"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

(cd "$work" && npm pack --silent "$PACKAGE@$VERSION" >/dev/null)
tar -xzf "$work/$PACKAGE-$VERSION.tgz" -C "$work"

# The package's lib/frequency_lists.js exports { passwords: [...] } in rank order,
# most common first. Keep that order; lower-case, trim, drop blanks and repeats.
node - "$work/package/lib/frequency_lists.js" "$out" <<'JS'
const fs = require("fs");
const [source, target] = process.argv.slice(2);
const lists = require(source);
const seen = new Set();
const kept = [];
for (const raw of lists.passwords) {
  const word = String(raw).trim().toLowerCase();
  if (word !== "" && !seen.has(word)) {
    seen.add(word);
    kept.push(word);
  }
}
if (kept.length < 10000) {
  console.error(`only ${kept.length} passwords found; at least 10,000 are needed`);
  process.exit(1);
}
fs.writeFileSync(target, kept.join("\n") + "\n");
console.log(`wrote ${kept.length} passwords to ${target}`);
JS
