# Sourced by bin/portal, .ci/jdk.sh and the scripts under scripts/: finds a JDK 21 or newer
# (Lucene 10 needs it) where a default `java` may be older. One implementation for all of them.
#
#   source bin/find-jdk.sh; find_jdk || exit 1   # sets PORTAL_JAVA_HOME
#
# Looks at, in order: JAVA_HOME, the `java` on the PATH, then the usual install folders (Debian/
# Ubuntu /usr/lib/jvm, macOS /Library/Java/JavaVirtualMachines, SDKMAN), newest version first.
# PORTAL_JDK_ROOTS (folders holding JDKs, space-separated) replaces that list of install folders.
PORTAL_MIN_JAVA=21

# Prints the feature version (17, 21, 25...) of the JDK at $1, or nothing when it is none.
jdk_feature_version() {
  local home="$1" v
  [[ -x "$home/bin/java" ]] || return 0
  # the `release` file saves starting a JVM per candidate
  if [[ -f "$home/release" ]]; then
    v="$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$home/release")"
  fi
  if [[ -z "${v:-}" ]]; then
    v="$("$home/bin/java" -XshowSettings:properties -version 2>&1 \
      | sed -n 's/^ *java.specification.version = \([0-9]*\).*/\1/p')"
  fi
  [[ "${v:-}" == 1 ]] && v=8   # 1.8 and older name themselves 1.x
  echo "${v:-}"
}

find_jdk() {
  local candidates=() c v best="" best_v=0
  [[ -n "${JAVA_HOME:-}" ]] && candidates+=("$JAVA_HOME")
  if command -v java >/dev/null 2>&1; then
    candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")")
  fi
  # the first acceptable one of JAVA_HOME and PATH wins: that is what the user chose
  local seen=""
  for c in "${candidates[@]}"; do
    v="$(jdk_feature_version "$c")"
    [[ -n "$v" ]] && seen+="  Java $v at $c (too old)"$'\n'
    if [[ -n "$v" && "$v" -ge $PORTAL_MIN_JAVA ]]; then
      PORTAL_JAVA_HOME="${c%/}"
      return 0
    fi
  done
  local root
  for root in ${PORTAL_JDK_ROOTS:-/usr/lib/jvm /Library/Java/JavaVirtualMachines $HOME/.sdkman/candidates/java}; do
    for c in "$root"/*/; do
      c="${c%/}"
      [[ -d "$c" && ! -L "$c" ]] || continue   # symlinks (default-java, current) repeat real ones
      [[ -d "$c/Contents/Home" ]] && c="$c/Contents/Home"   # macOS bundle layout
      v="$(jdk_feature_version "$c")"
      if [[ -n "$v" && "$v" -ge $PORTAL_MIN_JAVA && "$v" -gt $best_v ]]; then
        best="$c"
        best_v="$v"
      fi
    done
  done
  if [[ -n "$best" ]]; then
    PORTAL_JAVA_HOME="$best"
    return 0
  fi
  cat >&2 <<MSG
Mesh Portal needs a JDK $PORTAL_MIN_JAVA or newer, and none was found (looked at JAVA_HOME, the java on
the PATH, /usr/lib/jvm, /Library/Java/JavaVirtualMachines and ~/.sdkman/candidates/java).
${seen}Install one, for example:
  Ubuntu 22.04+, Debian 13+:  sudo apt-get install openjdk-21-jdk-headless
  any Linux, macOS, Windows:  Eclipse Temurin 21 or 25 from https://adoptium.net
  macOS (Homebrew):           brew install openjdk@21
  SDKMAN:                     sdk install java 21-tem
or point JAVA_HOME at an existing JDK $PORTAL_MIN_JAVA+.
MSG
  return 1
}
