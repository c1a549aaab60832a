#!/bin/sh
# Builds the container image's root file system without any registry: no base image can be pulled here (only
# Maven Central, Debian and npm are reachable), so Jib starts FROM scratch and adds this folder as its bottom
# layers. It holds a Java runtime cut by jlink from the JDK running the build, the shared libraries that runtime
# links against (taken from this machine, found with ldd), and /etc files naming the non-root user 65532.
#
#   make-runtime.sh JAVA_HOME OUTPUT_DIR LAUNCHER
#
# The JVM flags go to /opt/switchboard/jvm.options, an argument file the image's entrypoint names: they are the
# launcher's own choice for this runtime's Java version on two or more CPUs, with the fixed heap replaced by a share
# of the container's memory limit.
set -eu
JDK=$1
OUT=$2
LAUNCHER=$3
MODULES=java.base,java.compiler,java.desktop,java.logging,java.management,java.naming,java.rmi,java.scripting
MODULES=$MODULES,java.sql,java.xml,jdk.jfr,jdk.management,jdk.unsupported,jdk.crypto.ec,jdk.attach,jdk.jcmd

rm -rf "$OUT"
mkdir -p "$OUT/opt" "$OUT/etc" "$OUT/tmp" "$OUT/proc"
chmod 1777 "$OUT/tmp"
# jlink's module list: every module `jdeps -s` finds in lib/, plus EC ciphers for rediss:// and
# jcmd/attach so an operator can take a thread dump inside the container.
"$JDK/bin/jlink" --add-modules "$MODULES" --strip-debug --no-header-files --no-man-pages \
  --output "$OUT/opt/java"
# Debian's JDK links cacerts to /etc/ssl: keep the file itself.
if [ -h "$OUT/opt/java/lib/security/cacerts" ]; then
  cp --remove-destination -L "$(readlink -f "$OUT/opt/java/lib/security/cacerts")" "$OUT/opt/java/lib/security/cacerts" \
    2>/dev/null || rm -f "$OUT/opt/java/lib/security/cacerts"
fi

# Every shared library the runtime needs, at the path the dynamic loader looks for it.
# The AWT and sound libraries of java.desktop (whose java.beans the logging library uses) never load in a headless
# server: their X11 and ALSA dependencies are left out.
find "$OUT/opt/java" -type f \( -name '*.so' -o -perm -u+x \) ! -name 'libawt*' ! -name 'libjawt*' \
  ! -name 'libfontmanager*' ! -name 'libjsound*' ! -name 'libsplashscreen*' ! -name 'liblcms*' \
  ! -name 'libjavajpeg*' ! -name 'libmlib_image*' | while read -r f; do
  ldd "$f" 2>/dev/null || true
done | sed -n 's/.*=> \(\/[^ ]*\) .*/\1/p; s/^[[:space:]]*\(\/[^ ]*\) (.*/\1/p' | sort -u | while read -r lib; do
  case $lib in
    "$OUT"/*) continue ;;
  esac
  mkdir -p "$OUT$(dirname "$lib")"
  cp -L "$lib" "$OUT$lib"
done

cat > "$OUT/etc/passwd" <<'PASSWD'
root:x:0:0:root:/root:/sbin/nologin
switchboard:x:65532:65532:switchboard:/home/switchboard:/sbin/nologin
PASSWD
cat > "$OUT/etc/group" <<'GROUP'
root:x:0:
switchboard:x:65532:
GROUP
printf 'hosts: files dns\n' > "$OUT/etc/nsswitch.conf"
printf '127.0.0.1 localhost\n::1 localhost\n' > "$OUT/etc/hosts"
mkdir -p "$OUT/home/switchboard"
mkdir -p "$OUT/opt/switchboard"
LAUNCHER_DRY_RUN=1 LAUNCHER_CPUS=2 JAVA_HOME="$OUT/opt/java" JAVA_OPTS= SWITCHBOARD_CONFIG=none sh "$LAUNCHER" \
  | sed 's/ -cp .*//' | tr ' ' '\n' | sed '1d' \
  | sed 's/^-Xms.*/-XX:InitialRAMPercentage=75/; s/^-Xmx.*/-XX:MaxRAMPercentage=75/' > "$OUT/opt/switchboard/jvm.options"
echo "runtime: $("$OUT/opt/java/bin/java" -version 2>&1 | head -n 1), $(du -sh "$OUT" | cut -f1)"
echo "jvm.options: $(tr '\n' ' ' < "$OUT/opt/switchboard/jvm.options")"
