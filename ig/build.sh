#!/usr/bin/env bash
# Builds the Implementation Guide's resources offline: FHIR R4 core into the FHIR package cache
# (from HAPI FHIR's definitions on Maven Central, when the cache lacks it), then SUSHI (npm
# fsh-sushi, installed into ig/.tools) on ig/input/fsh, into ig/fsh-generated/resources.
# Needs Java 17, Maven and Node 20 with npm. Usage: ig/build.sh [output-folder]
set -euo pipefail
cd "$(dirname "$0")"
out=${1:-.}
cache=${FHIR_PACKAGE_CACHE:-$HOME/.fhir/packages}
core="$cache/hl7.fhir.r4.core#4.0.1"
if [ ! -f "$core/package/package.json" ]; then
  (cd .. && mvn -q dependency:build-classpath -Dmdep.outputFile=target/ig-classpath.txt -Dmdep.includeScope=runtime)
  java -cp "$(cat ../target/ig-classpath.txt)" tools/CorePackage.java "$core"
fi
if [ ! -x .tools/node_modules/.bin/sushi ]; then
  npm install --silent --no-audit --no-fund --prefix .tools fsh-sushi@3.21.0 >/dev/null
fi
if [ "$out" != "." ]; then # build a copy elsewhere (CI compares it with the committed output)
  rm -rf "$out" && mkdir -p "$out" && cp -r sushi-config.yaml input "$out/"
fi
# SUSHI's automatic dependencies (hl7.fhir.uv.tools, terminology, extensions) come from the package
# registry, which these machines cannot reach: the guide uses none of them, so their absence is only noted.
.tools/node_modules/.bin/sushi build "$out" 2>&1 | tee "$out/sushi.log" | grep -E "errors|warnings|Error|error" || true
if grep -qE "^\s*[1-9][0-9]* Errors?" "$out/sushi.log" || ! grep -q "0 Errors" "$out/sushi.log"; then
  echo "SUSHI reported errors: see $out/sushi.log" >&2
  exit 1
fi
echo "built: $out/fsh-generated/resources ($(ls "$out/fsh-generated/resources" | wc -l) resources)"
