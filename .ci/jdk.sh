# Sourced by .ci/run and the scripts under scripts/: selects a JDK 21+ (bin/find-jdk.sh) as
# JAVA_HOME and puts it first on the PATH, so `java` in these scripts is that JDK.
source "$(dirname "${BASH_SOURCE[0]}")/../bin/find-jdk.sh"
find_jdk || exit 1
export JAVA_HOME="$PORTAL_JAVA_HOME"
export PATH="$JAVA_HOME/bin:$PATH"
