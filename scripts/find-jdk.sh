# Sourced by Weft's scripts: exports JAVA_HOME pointing at a JDK 25 or newer.
# Honours JAVA_HOME when it is 25+, else looks under /usr/lib/jvm; fails with one clear sentence.
weft_java_major() {
  # The JDK's own `release` file names its version without starting a JVM (each start costs
  # 0.05-0.1 CPU s, and /usr/lib/jvm often lists several links to one old JDK before the new
  # one); ask the JVM only when the file is missing.
  local v=""
  if [ -r "$1/release" ]; then
    v=$(sed -n 's/^JAVA_VERSION="\([0-9][0-9]*\).*/\1/p' "$1/release" | head -n 1)
  fi
  if [ -z "$v" ]; then
    v=$("$1/bin/java" -XshowSettings:properties -version 2>&1 \
      | sed -n 's/^ *java.specification.version = \([0-9][0-9]*\).*/\1/p' | head -n 1)
  fi
  echo "$v"
}
weft_find_jdk() {
  local candidate major
  for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/*; do
    [ -n "$candidate" ] && [ -x "$candidate/bin/java" ] && [ -x "$candidate/bin/javac" ] || continue
    major=$(weft_java_major "$candidate")
    if [ -n "$major" ] && [ "$major" -ge 25 ]; then
      export JAVA_HOME="$candidate"
      export PATH="$JAVA_HOME/bin:$PATH"
      return 0
    fi
  done
  echo "weft: no JDK 25 or newer found (JAVA_HOME='${JAVA_HOME:-}' and /usr/lib/jvm have none); install one, e.g. 'apt-get install openjdk-25-jdk' or Temurin 25, or set JAVA_HOME to it." >&2
  return 1
}
