#!/usr/bin/env bash
# Cross-check of the Llama-family decoder against Jlama 0.8.4 (docs/local.md, "Cross-check against
# Jlama"). Builds the local model module, writes random-weight Llama, Qwen2 and Mistral directories in
# the Hugging Face layout, runs ours and Jlama on the same token ids, and prints a table.
# Usage: bench/local-runtime/cross-check.sh [THREADS]
#   MVN_FLAGS: extra Maven flags (e.g. -o -Dmaven.repo.local=...); SKIP_BUILD=1 skips the module install
set -euo pipefail
cd "$(dirname "$0")/../.."
JAVA_HOME="${JAVA_HOME_25:-/usr/lib/jvm/temurin-25-jdk-amd64}"
if [[ "${SKIP_BUILD:-}" != 1 ]]; then
  mvn ${MVN_FLAGS:-} -q -pl sdk-model-local -am install -DskipTests
fi
cd bench/local-runtime
JAVA_HOME="$JAVA_HOME" mvn ${MVN_FLAGS:-} -q package dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
"$JAVA_HOME/bin/java" -Xmx3g --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED \
  -cp "target/classes:$(cat target/classpath.txt)" dev.colloquy.bench.local.JlamaCrossCheck \
  target/cross-check "${1:-$(nproc)}"
