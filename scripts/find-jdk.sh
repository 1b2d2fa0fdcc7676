# Sourced by Weft's scripts: exports JAVA_HOME pointing at a JDK 25 or newer.
# Honours JAVA_HOME when it is 25+, else looks under /usr/lib/jvm; fails with one clear sentence.
weft_java_major() {
  # Sets weft_major to the JDK's feature version (empty if unknown). The JDK's own `release` file
  # names it without starting a JVM (each start costs 0.05-0.1 CPU s, and /usr/lib/jvm often lists
  # several links to one old JDK before the new one), read with shell built-ins only: `weft` runs this
  # at every start, and each sed, head or $(...) is a process (1-5 ms each); the JVM is asked only when
  # the file is missing.
  weft_major=""
  local line
  if [ -r "$1/release" ]; then
    while IFS= read -r line || [ -n "$line" ]; do
      if [[ "$line" =~ ^JAVA_VERSION=\"([0-9]+) ]]; then
        weft_major="${BASH_REMATCH[1]}"
        break
      fi
    done < "$1/release"
  fi
  if [ -z "$weft_major" ]; then
    weft_major=$("$1/bin/java" -XshowSettings:properties -version 2>&1 \
      | sed -n 's/^ *java.specification.version = \([0-9][0-9]*\).*/\1/p' | head -n 1)
  fi
}
weft_find_jdk() {
  local candidate major
  for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/*; do
    [ -n "$candidate" ] && [ -x "$candidate/bin/java" ] && [ -x "$candidate/bin/javac" ] || continue
    weft_java_major "$candidate"
    major="$weft_major"
    if [ -n "$major" ] && [ "$major" -ge 25 ]; then
      export JAVA_HOME="$candidate"
      export PATH="$JAVA_HOME/bin:$PATH"
      return 0
    fi
  done
  echo "weft: no JDK 25 or newer found (JAVA_HOME='${JAVA_HOME:-}' and /usr/lib/jvm have none); install one, e.g. 'apt-get install openjdk-25-jdk' or Temurin 25, or set JAVA_HOME to it." >&2
  return 1
}
