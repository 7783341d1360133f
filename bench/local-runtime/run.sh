#!/usr/bin/env bash
# The local-runtime benchmark (docs/benchmarks.md, "Local runtime"). Builds the local model module,
# then runs ours and Jlama, each in its own child JVM, alternating for ROUNDS rounds, on one random
# GPT-2-small checkpoint on Temurin 25, and prints the medians.
# Usage: bench/local-runtime/run.sh [THREADS] [ROUNDS] [EXTRA_ENGINE...]
#   extra engines: djl (DJL PyTorch, once), ours-scalar (the Java 17 kernel), ours-1 (one thread),
#   jlama-bf16 and ours-bf16 (the same random model saved as BF16)
set -euo pipefail
cd "$(dirname "$0")/../.."
JAVA_HOME="${JAVA_HOME_25:-/usr/lib/jvm/temurin-25-jdk-amd64}"
if [[ "${SKIP_BUILD:-}" != 1 ]]; then
  mvn -q -pl sdk-model-local -am install -DskipTests
fi
cd bench/local-runtime
JAVA_HOME="$JAVA_HOME" mvn -q package dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
mkdir -p target/djl-cache
DJL_CACHE_DIR="$PWD/target/djl-cache" "$JAVA_HOME/bin/java" -Xmx3g --add-modules jdk.incubator.vector \
  --enable-native-access=ALL-UNNAMED -Dai.djl.offline=true \
  -cp "target/classes:$(cat target/classpath.txt)" dev.colloquy.bench.local.LocalRuntimeBenchmark \
  target/gpt2-small-random "${1:-$(nproc)}" "${2:-5}" "${@:3}"
