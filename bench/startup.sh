#!/usr/bin/env bash
# Cold start-up and stop of the demo (a fresh JVM and a fresh embedded database each time): the
# time from process start to a ready server (readiness probe 200), the process RSS then and after
# IDLE seconds without requests (default 40), the time from SIGTERM to exit and the ERROR lines the
# run logged (a run's log is kept in target/startup-errors-<name>-<round>.log when it has any); for
# several ways of running, interleaved round by round so that the machine's noise falls on all
# alike; then the medians and their ratios to the first:
#   baseline  another build's jar (the second argument), run as "packaged" is: before and after
#   packaged  java -Xmx512m -jar, as a deployment runs it
#   small     the same with the idle-memory options (README, "Start-up and memory"): the heap
#             starts small and gives back what it does not use once idle
#   cds       the small options, on the jar extracted with a class-data archive (bin/cds-archive)
#   fast      cds with the client compiler alone (-XX:TieredStopAtLevel=1), as the demo runs
#   mvn -DskipTests package && bench/startup.sh [rounds] [baseline.jar]
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-5}
baseline=${2:-}
idle=${IDLE:-40}
jar=$(ls target/iz-fhir-server-*.jar | head -n 1)
port=${PORT:-18080}
log=target/startup-run.log
demo=(--spring.profiles.active=demo --server.port="$port" --management.server.port="$((port + 1))")
small=(@bin/idle-memory.args)

cds=target/startup-cds
if [ ! -f "$cds/app.jsa" ] || [ "$jar" -nt "$cds/app.jsa" ]; then
  echo "building the class-data archive in $cds"
  CDS_TRAINING_PORT=$((port + 10)) bin/cds-archive "$jar" "$cds"
fi

declare -A times rss idles stops errors
names=()
run() { # name, env, java options...
  local name=$1 env=$2; shift 2
  local start pid ms kb idle_kb stopped
  [[ " ${names[*]} " == *" $name "* ]] || names+=("$name")
  start=$(date +%s%N)
  env $env java "$@" "${demo[@]}" >"$log" 2>&1 &
  pid=$!
  until curl -fs "http://localhost:$((port + 1))/actuator/health/readiness" >/dev/null 2>&1; do
    kill -0 "$pid" 2>/dev/null || { echo "server died; see $log"; exit 1; }
    sleep 0.1
  done
  ms=$(( ($(date +%s%N) - start) / 1000000 ))
  kb=$(awk '/VmRSS/ {print $2}' /proc/$pid/status)
  sleep "$idle"
  idle_kb=$(awk '/VmRSS/ {print $2}' /proc/$pid/status)
  stopped=$(date +%s%N)
  kill "$pid"; wait "$pid" 2>/dev/null || true
  stopped=$(( ($(date +%s%N) - stopped) / 1000000 ))
  times[$name]="${times[$name]:-} $ms"; rss[$name]="${rss[$name]:-} $kb"; idles[$name]="${idles[$name]:-} $idle_kb"
  stops[$name]="${stops[$name]:-} $stopped"
  errors[$name]=$(( ${errors[$name]:-0} + $(grep -c ' ERROR ' "$log" || true) ))
  if grep -q ' ERROR ' "$log"; then cp "$log" "target/startup-errors-$name-$round.log"; fi
  printf '%-9s ready in %5.1f s, RSS %4d MB, idle %4d MB, stopped in %4.1f s\n' "$name" "$(echo "$ms/1000" | bc -l)" \
    $((kb / 1024)) $((idle_kb / 1024)) "$(echo "$stopped/1000" | bc -l)"
}
for round in $(seq "$rounds"); do
  echo "round $round"
  [ -z "$baseline" ] || run baseline "X=1" -Xmx512m -jar "$baseline"
  run packaged "X=1" -Xmx512m -jar "$jar"
  run small "MALLOC_ARENA_MAX=2" "${small[@]}" -jar "$jar"
  run cds "MALLOC_ARENA_MAX=2" "${small[@]}" -XX:SharedArchiveFile="$cds/app.jsa" -jar "$cds/$(basename "$jar")"
  run fast "MALLOC_ARENA_MAX=2" "${small[@]}" -XX:TieredStopAtLevel=1 -XX:SharedArchiveFile="$cds/app.jsa" \
    -jar "$cds/$(basename "$jar")"
done
median() { printf '%s\n' $1 | sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
base_t=$(median "${times[${names[0]}]}"); base_r=$(median "${rss[${names[0]}]}"); base_i=$(median "${idles[${names[0]}]}")
for name in "${names[@]}"; do
  t=$(median "${times[$name]}"); r=$(median "${rss[$name]}"); i=$(median "${idles[$name]}"); s=$(median "${stops[$name]}")
  printf 'median %-9s ready in %5.1f s (x%.2f), RSS %4d MB (x%.2f), idle %4d MB (x%.2f), stopped in %4.1f s, %d ERROR lines, %d rounds\n' \
    "$name" "$(echo "$t/1000" | bc -l)" "$(echo "$t/$base_t" | bc -l)" $((${r%.*} / 1024)) "$(echo "$r/$base_r" | bc -l)" \
    $((${i%.*} / 1024)) "$(echo "$i/$base_i" | bc -l)" "$(echo "$s/1000" | bc -l)" "${errors[$name]}" "$rounds"
done
