# Sourced by Weft's scripts: exports JAVA_HOME pointing at a JDK 25 or newer.
# Honours JAVA_HOME when it is 25+, else looks under /usr/lib/jvm; fails with one clear sentence.
weft_java_major() {
  "$1/bin/java" -XshowSettings:properties -version 2>&1 \
    | sed -n 's/^ *java.specification.version = \([0-9][0-9]*\).*/\1/p' | head -n 1
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
