#!/usr/bin/env bash
# Cold start-up of the packaged jar: N runs (default 5), each a fresh JVM and a fresh
# embedded database (demo profile). Prints each run's time to a ready server (readiness probe
# UP, from process start) and the process RSS at that moment, then the medians.
#   mvn -DskipTests package && bench/startup.sh [runs] [extra JVM options...]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}; shift || true
jar=$(ls target/iz-fhir-server-*.jar | head -n 1)
port=${PORT:-18080}
times=(); rss=()
for i in $(seq "$runs"); do
  start=$(date +%s%N)
  java -Xmx512m "$@" -jar "$jar" --spring.profiles.active=demo --server.port="$port" --management.server.port="$((port + 1))" >/tmp/izfhir-startup.log 2>&1 &
  pid=$!
  until curl -fs "http://localhost:$((port + 1))/actuator/health/readiness" >/dev/null 2>&1; do
    kill -0 "$pid" 2>/dev/null || { echo "server died; see /tmp/izfhir-startup.log"; exit 1; }
    sleep 0.1
  done
  ms=$(( ($(date +%s%N) - start) / 1000000 ))
  kb=$(awk '/VmRSS/ {print $2}' /proc/$pid/status)
  kill "$pid"; wait "$pid" 2>/dev/null || true
  times+=("$ms"); rss+=("$kb")
  printf 'run %d: ready in %.1f s, RSS %d MB\n' "$i" "$(echo "$ms/1000" | bc -l)" $((kb / 1024))
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
printf 'median: ready in %.1f s, RSS %d MB (%d runs)\n' "$(echo "$(median "${times[@]}")/1000" | bc -l)" \
  $(( $(median "${rss[@]}") / 1024 )) "$runs"
