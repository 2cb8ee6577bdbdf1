# Sourced by .ci/run and the scripts under scripts/: selects a JDK 21+ for Maven.
# Keeps JAVA_HOME when it already points at one; otherwise tries the default `java`,
# then every JDK under /usr/lib/jvm (the Debian/Ubuntu location), newest first.
java_major() { # prints the major version of the java binary $1
  "$1" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2}' | cut -d. -f1
}
select_jdk() {
  local candidate
  if [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/java" && $(java_major "$JAVA_HOME/bin/java") -ge 21 ]]; then
    return 0
  fi
  if command -v java >/dev/null && [[ $(java_major "$(command -v java)") -ge 21 ]]; then
    export JAVA_HOME="$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")"
    return 0
  fi
  for candidate in $(ls -d /usr/lib/jvm/*/ 2>/dev/null | sort -rV); do
    if [[ -x "$candidate/bin/java" && $(java_major "$candidate/bin/java") -ge 21 ]]; then
      export JAVA_HOME="${candidate%/}"
      return 0
    fi
  done
  echo "No JDK 21 or newer found (default java is $(java -version 2>&1 | head -1)). Install one and set JAVA_HOME." >&2
  return 1
}
select_jdk
export PATH="$JAVA_HOME/bin:$PATH"
