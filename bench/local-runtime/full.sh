#!/usr/bin/env bash
# The full local-runtime benchmark of issue 18 (docs/benchmarks.md, "Local runtime"): per model and
# weight format, ours (through LocalGptModel) and Jlama 0.8.4 each in a fresh child JVM, rounds
# alternating which goes first; decode and prefill tok/s, TTFT of turn 1 and the last turn (medians
# over three conversations), load
# time, peak RSS and heap, the bandwidth ceiling per format, aggregate tok/s of concurrent
# conversations, the smallest -Xmx that loads each format; one markdown table per model. Temurin 25.
# Usage: bench/local-runtime/full.sh [--name value]...   (options: FullBenchmark's Javadoc), e.g.
#   bench/local-runtime/full.sh --models gpt2-small,llama-small --rounds 1          (smoke run)
#   bench/local-runtime/full.sh --models gpt2-small,llama-1b --rounds 3 --xmx 12g --prepare-xmx 6g
# MVN_FLAGS: extra Maven flags (e.g. -o -Dmaven.repo.local=...); SKIP_BUILD=1 skips the module install.
set -euo pipefail
cd "$(dirname "$0")/../.."
JAVA_HOME="${JAVA_HOME_25:-/usr/lib/jvm/temurin-25-jdk-amd64}"
if [[ "${SKIP_BUILD:-}" != 1 ]]; then
  mvn ${MVN_FLAGS:-} -q -pl sdk-model-local -am install -DskipTests
fi
cd bench/local-runtime
JAVA_HOME="$JAVA_HOME" mvn ${MVN_FLAGS:-} -q package dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
"$JAVA_HOME/bin/java" -Xmx512m --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED \
  -cp "target/classes:$(cat target/classpath.txt)" dev.colloquy.bench.local.FullBenchmark "$@"
