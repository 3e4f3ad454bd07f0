#!/usr/bin/env bash
# Micro-benchmarks (JMH) and the retained-heap measurement, from the test classpath.
#   bench/jmh.sh ResponseRead      # HL7 read-and-map vs HAPI's bare parse, messages/s on one thread
#   bench/jmh.sh retained          # heap retained per message, both ways
#   bench/jmh.sh SoapCodec         # SOAP envelope write/read vs the HL7 read-and-map it carries
#   bench/jmh.sh CdsiForecast      # CDSi evaluation and forecast, 20 doses vs none; supporting data load
#   bench/jmh.sh HealthCard        # a 20-dose SMART Health Card (vs none), its QR code, the official record PDF
#   bench/jmh.sh <regex> [JMH options...]
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -DskipTests test-compile dependency:build-classpath -Dmdep.outputFile=target/test-classpath.txt >/dev/null
cp="target/test-classes:target/classes:$(cat target/test-classpath.txt)"
if [ "${1:-}" = "retained" ]; then
  exec java -Xmx2g -cp "$cp" org.izfhir.bench.RetainedHeap
fi
exec java -cp "$cp" org.openjdk.jmh.Main "${@:-.*}"
