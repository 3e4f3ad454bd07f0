#!/usr/bin/env bash
# Load benchmark of dose submissions (Gatling): starts the packaged server in the demo profile with
# its three demo registries answering after a fixed latency, then
#  1. runs bench/gatling/.../SubmissionSimulation: the cached consolidated search (the baseline), then
#     transactions of a new person and a dose (each matched, checked, stored, sent to two registries
#     and acknowledged before the answer), 16 concurrent clients each;
#  2. takes NJ down (its demo knob), submits DOSES doses due to NJ only, brings NJ back and times
#     how long the outbox takes to deliver the backlog, against the live submission rate of step 1.
# Retries wait 1 s, then 2 s at most, and NJ's circuit breaker reopens after 5 s, so that the drain
# measures delivery, not waiting.
#   mvn -DskipTests package && bench/submissions.sh [latency-ms] [doses] [-Dclients=16 -Dseconds=30 ...]
set -euo pipefail
cd "$(dirname "$0")/.."
latency=${1:-50}; shift || true
doses=${1:-10000}; shift || true
jar=$(ls target/iz-fhir-server-*.jar | head -n 1)
port=${PORT:-8099}
manage=$((port + 1))
log=target/submissions-server.log
java ${SERVER_JAVA_OPTS:--Xmx1g} -jar "$jar" --spring.profiles.active=demo --server.port="$port" --management.server.port="$manage" \
  --izfhir.demo.registries.NJ.latency="${latency}ms" --izfhir.demo.registries.NY.latency="${latency}ms" \
  --izfhir.demo.registries.PA.latency="${latency}ms" --izfhir.submissions.first-retry=1s \
  --izfhir.submissions.max-retry-interval=2s --izfhir.registry.circuit-breaker.open-for=5s >"$log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true' EXIT
until curl -fs "http://localhost:$manage/actuator/health/readiness" >/dev/null 2>&1; do
  kill -0 "$server" 2>/dev/null || { echo "server died; see $log"; exit 1; }
  sleep 0.5
done
gatling() {
  mvn -q -f bench/gatling/pom.xml gatling:test -Dsimulation=org.izfhir.bench.SubmissionSimulation \
    -DbaseUrl="http://localhost:$port/fhir" "$@" || true
}
gatling "$@"
run=$(ls -td bench/gatling/target/gatling/submissionsimulation-*/ | head -n 1)
mkdir -p bench/reports
report="bench/reports/submissions-$(basename "$run" | sed 's/.*-//')"
rm -rf "$report"; cp -r "$run" "$report"; rm -f "$report/simulation.log"

pending() {
  curl -fs "http://localhost:$manage/actuator/prometheus" | awk '/^izfhir_submissions_pending /{print int($2)}'
}
curl -fs -X PUT "http://localhost:$port/demo-registries/NJ/knobs?latency=${latency}ms&fault=HTTP_ERROR" >/dev/null
gatling -Dphases=backlog -Ddoses="$doses" >target/submissions-backlog.log 2>&1
queued=$(pending)
curl -fs -X PUT "http://localhost:$port/demo-registries/NJ/knobs?latency=${latency}ms" >/dev/null
start=$(date +%s.%N)
while [ "$(pending)" != "0" ]; do sleep 0.2; done
end=$(date +%s.%N)

seconds=30
for arg in "$@"; do case "$arg" in -Dseconds=*) seconds=${arg#-Dseconds=} ;; esac; done
python3 - "$report/index.html" "$seconds" "$queued" "$start" "$end" <<'PY'
import re, sys
html, seconds, queued, start, end = open(sys.argv[1]).read(), int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4]), float(sys.argv[5])
rows = {}
for m in re.finditer(r'class="ellipsed-name">([^<]+)</span>(.*?)</tr>', html, re.S):
    cells = {int(k): v for k, v in re.findall(r'col-(\d+)">([^<]*)<', m.group(2))}
    rows[m.group(1)] = (int(cells[8]), int(cells[2]) / seconds, int(cells[4]))  # median ms, requests/s, failed
base = rows.get("cached consolidated search")
print(f"{'request':30} {'median ms':>9} {'req/s':>7} {'failed':>6}  against the cached consolidated search")
for name in ["cached consolidated search", "submit a person and a dose"]:
    if name in rows:
        median, rate, ko = rows[name]
        ratios = f"x{median / base[0]:.1f} latency, x{rate / base[1]:.2f} throughput" if base else ""
        print(f"{name:30} {median:9} {rate:7.0f} {ko:6}  {ratios}")
drain = end - start
submit = rows.get("submit a person and a dose")
print(f"backlog of {queued} deliveries to NJ drained in {drain:.1f} s after NJ came back: {queued / drain:.0f} deliveries/s"
      + (f" (x{queued / drain / (submit[1] * 2):.1f} the live rate of {submit[1] * 2:.0f} deliveries/s while submitting)" if submit else ""))
PY
echo "report: $report/index.html"
