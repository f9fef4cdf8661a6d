# Shared by ./run, ./invoke, ./test and the operator scripts: find a JDK >= 21, install the pinned emulator, build,
# check what the transaction cases need.
# shellcheck shell=bash

# Sets JAVA_HOME to a JDK >= 21: $JAVA_HOME if it qualifies, else the usual install folders.
find_jdk() {
  local candidate version
  for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/* /opt/java/* /opt/jdk* /Library/Java/JavaVirtualMachines/*/Contents/Home; do
    [ -n "$candidate" ] && [ -x "$candidate/bin/javac" ] || continue
    version=$("$candidate/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
    if [ -n "$version" ] && [ "${version%%.*}" -ge 21 ] 2>/dev/null; then
      export JAVA_HOME="$candidate"
      export PATH="$JAVA_HOME/bin:$PATH"
      return 0
    fi
  done
  echo "error: no JDK >= 21 found. Install one (e.g. apt-get install openjdk-21-jdk) or set JAVA_HOME to it." >&2
  return 1
}

require() {
  command -v "$1" >/dev/null 2>&1 || { echo "error: '$1' is not installed; $2" >&2; return 1; }
}

# Installs dynalite at the version pinned in package-lock.json, again only when the lock file changed.
install_emulator() {
  require node "install Node.js >= 18 (apt-get install nodejs npm)" || return 1
  require npm "install npm (apt-get install npm)" || return 1
  if ! cmp -s package-lock.json node_modules/.installed-lock.json; then
    npm ci --no-audit --no-fund --loglevel=error >&2
    cp package-lock.json node_modules/.installed-lock.json
  fi
}

# python3 with boto3 and moto, the transaction cases' second opinion (pyenv's python when there, as CI's non-login
# shell has it outside the default PATH): a skipped check must never look like a pass.
require_moto() {
  if [ -x "$HOME/.pyenv/shims/python3" ]; then
    PATH="$HOME/.pyenv/shims:$PATH"
  fi
  if ! command -v python3 >/dev/null 2>&1 || ! python3 -c 'import boto3, moto' 2>/dev/null; then
    echo "error: python3 with boto3 and moto is not installed, so the transaction cases were NOT checked." \
      "Install them (pip install moto==5.2.1) and rerun." >&2
    return 1
  fi
}

# True when a jar is missing or older than a pom or a source file.
jars_stale() {
  local jar
  for jar in local-runner/target/local-runner.jar ingest-function/target/ingest-function.jar query-function/target/query-function.jar \
      operator-tools/target/operator-tools.jar; do
    if [ ! -f "$jar" ] || [ ! -d local-runner/target/lambda-runtime ] \
        || [ -n "$(find pom.xml */pom.xml */src -newer "$jar" -print -quit)" ]; then
      return 0
    fi
  done
  return 1
}

# Builds the jars (mvn package, tests skipped) when jars_stale.
build_if_stale() {
  jars_stale || return 0
  echo "building the jars (mvn package, tests skipped; a minute or two)..." >&2
  # Only the module and result lines: progress without Maven's whole log.
  if ! mvn -B -ntp package -DskipTests 2>&1 | grep --line-buffered -E '^\[INFO\] (Building |BUILD )|ERROR' >&2; then
    echo "error: the build failed; run 'mvn package -DskipTests' to see why" >&2
    return 1
  fi
}

# --help and a bad option answer before a build, which takes minutes on a fresh clone: while the jars are stale, the
# command's own argument class ($1, a source file needing only the JDK) checks the rest of the command line. Ends the
# script after the help (status 0) or a usage error (status 2); once built, the command answers them itself.
check_arguments_before_build() {
  local source=$1 arg
  shift
  jars_stale || return 0
  java "$source" "$@" || exit
  for arg; do
    case $arg in --help | -h) exit 0 ;; esac
  done
}

# Builds the client jar (./send) when it is missing or older than its pom or a source file.
build_client_if_stale() {
  local jar=client/target/analytics-client.jar
  if [ ! -f "$jar" ] || [ -n "$(find pom.xml client/pom.xml client/src -newer "$jar" -print -quit)" ]; then
    require mvn "install Apache Maven 3.8+ (apt-get install maven)" || return 1
    echo "building the client jar (mvn package -pl client, tests skipped)..." >&2
    if ! mvn -B -ntp -q -pl client package -DskipTests >&2; then
      echo "error: the build failed; run 'mvn package -pl client -DskipTests' to see why" >&2
      return 1
    fi
  fi
}
